// SCIMMY (scimmy) with its Express routers (scimmy-routers), listening on
// 127.0.0.1, with WORKSPACES isolated workspaces under /w/{i}/scim, each
// with its own bearer token. SCIMMY does the protocol: discovery, filters,
// PATCH, paging, Bulk, errors; the store below is the smallest an app
// could have: users and groups in memory, a deleted user leaving its
// groups. The first line on stdout is
// {"port":N,"workspaces":[{"path":"...","token":"..."}]}.
import { randomBytes, randomUUID } from "node:crypto";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const n = Number(process.env.WORKSPACES || 1);
const stores = [];
const workspaces = [];
for (let i = 0; i < n; i++) {
  const token = randomBytes(24).toString("hex");
  stores.push({ token, users: new Map(), groups: new Map() });
  workspaces.push({ path: `/w/${i}/scim`, token });
}
const storeOf = (ctx) => stores[Number(String(ctx).match(/^\/w\/(\d+)\//)?.[1])];

const now = () => new Date().toISOString();
const notFound = (id) => new SCIMMY.Types.Error(404, null, `Resource ${id} not found`);
const conflict = (what) => new SCIMMY.Types.Error(409, "uniqueness", `${what} is already taken`);

// list answers a read: one resource by id, or every one the filter matches.
function list(map, resource) {
  if (resource.id) {
    const found = map.get(resource.id);
    if (!found) throw notFound(resource.id);
    return found;
  }
  const all = [...map.values()];
  return resource.filter ? resource.filter.match(all) : all;
}

// save stores a created or replaced resource, with its meta.
function save(map, resource, instance, unique) {
  const id = resource.id ?? randomUUID();
  const old = map.get(id);
  if (resource.id && !old) throw notFound(id);
  for (const other of map.values()) {
    if (other.id !== id && unique(other, instance)) throw conflict(instance.userName ?? instance.displayName);
  }
  const stored = { ...instance, id, meta: { created: old?.meta.created ?? now(), lastModified: now() } };
  map.set(id, stored);
  return stored;
}

SCIMMY.Resources.declare(SCIMMY.Resources.User)
  .egress((resource, ctx) => list(storeOf(ctx).users, resource))
  .ingress((resource, instance, ctx) =>
    save(storeOf(ctx).users, resource, instance, (a, b) => a.userName.toLowerCase() === b.userName.toLowerCase()))
  .degress((resource, ctx) => {
    const store = storeOf(ctx);
    if (!store.users.delete(resource.id)) throw notFound(resource.id);
    for (const g of store.groups.values()) g.members = (g.members ?? []).filter((m) => m.value !== resource.id);
  });
SCIMMY.Resources.declare(SCIMMY.Resources.Group)
  .egress((resource, ctx) => list(storeOf(ctx).groups, resource))
  .ingress((resource, instance, ctx) =>
    save(storeOf(ctx).groups, resource, instance, (a, b) => a.displayName === b.displayName))
  .degress((resource, ctx) => {
    if (!storeOf(ctx).groups.delete(resource.id)) throw notFound(resource.id);
  });

const app = express();
const routers = new SCIMMYRouters({
  type: "bearer",
  handler: (req) => {
    const store = storeOf(req.baseUrl + "/");
    if (!store || req.header("Authorization") !== `Bearer ${store.token}`) throw new Error("Authorization failed");
    return "teamctl";
  },
  context: (req) => req.baseUrl + "/",
});
// After the routers, which set their own defaults.
SCIMMY.Config.set({
  patch: true,
  filter: { supported: true, maxResults: 100 },
  // SCIMMY_BULK=off serves no Bulk, for a run that shows what Bulk alone does.
  bulk: process.env.SCIMMY_BULK === "off" ? { supported: false } : { supported: true, maxOperations: 100, maxPayloadSize: 1048576 },
  sort: true,
});
app.use("/w/:ws/scim", routers);
const server = app.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: server.address().port, workspaces }));
});
process.stdin.on("end", () => process.exit(0)).resume();
