// BoxyHQ SAML Jackson's Directory Sync (@boxyhq/saml-jackson) on its
// in-memory store, listening on 127.0.0.1. Each of WORKSPACES is one
// generic SCIM v2 directory with its own base path and bearer token, served
// as the Jackson service serves them: /api/scim/v2.0/{directory}/{Users|Groups}[/{id}],
// each request handed to directorySyncController.requests.handle. The first
// line on stdout is {"port":N,"workspaces":[{"path":"...","token":"...","members":"..."}]}.
//
// Jackson stores group members but never lists them over SCIM (a group
// always reads "members": []). For the tests alone, GET {members}{groupId}
// answers {"members":[{"value":USER_ID}]} from Jackson's own store, so that
// they can check what teamctl's requests did; teamctl never uses it.
import http from "node:http";
import jacksonModule from "@boxyhq/saml-jackson";

const jackson = jacksonModule.default ?? jacksonModule;
const n = Number(process.env.WORKSPACES || 1);
const scimPath = "/api/scim/v2.0";
const { directorySyncController: dsync } = await jackson({
  externalUrl: "http://127.0.0.1",
  samlPath: "/api/oauth/saml",
  scimPath,
  db: { engine: "mem" },
  noAnalytics: true,
  // Its warnings are about webhooks, which these directories have none of.
  logger: { info() {}, warn() {}, error: console.error },
});
const workspaces = [];
const tenants = new Map();
for (let i = 0; i < n; i++) {
  const { data, error } = await dsync.directories.create({ tenant: `tenant-${i}`, product: "teamctl", type: "generic-scim-v2" });
  if (error) throw new Error(`create directory: ${error.message}`);
  workspaces.push({ path: data.scim.path, token: data.scim.secret, members: `/_members/${data.id}/Groups/` });
  tenants.set(data.id, data.tenant);
}

const route = new RegExp(`^${scimPath.replaceAll(".", "\\.")}/([^/]+)/([^/]+)(?:/([^/]+))?$`);
const server = http.createServer(async (req, res) => {
  const send = (status, data) => {
    res.writeHead(status, { "content-type": "application/scim+json" });
    res.end(JSON.stringify(data));
  };
  try {
    const url = new URL(req.url, "http://127.0.0.1");
    const m = url.pathname.match(route);
    let body = "";
    for await (const chunk of req) body += chunk;
    const mm = url.pathname.match(/^\/_members\/([^/]+)\/Groups\/([^/]+)$/);
    if (mm && tenants.has(mm[1])) {
      dsync.groups.setTenantAndProduct(tenants.get(mm[1]), "teamctl");
      const { data, error } = await dsync.groups.getGroupMembers({ groupId: decodeURIComponent(mm[2]) });
      if (error) return send(500, { detail: error.message });
      return send(200, { members: data.map((m) => ({ value: m.user_id })) });
    }
    if (!m) return send(404, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], detail: "not found", status: "404" });
    const q = url.searchParams;
    const query = {};
    if (q.has("count")) query.count = Number(q.get("count"));
    if (q.has("startIndex")) query.startIndex = Number(q.get("startIndex"));
    if (q.has("filter")) query.filter = q.get("filter");
    const auth = req.headers.authorization ?? "";
    const { status, data } = await dsync.requests.handle({
      method: req.method,
      body: body ? JSON.parse(body) : undefined,
      directoryId: m[1],
      resourceType: m[2],
      resourceId: m[3] === undefined ? undefined : decodeURIComponent(m[3]),
      apiSecret: auth.startsWith("Bearer ") ? auth.slice("Bearer ".length) : null,
      query,
    });
    send(status, data);
  } catch (e) {
    console.error(e);
    send(500, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], detail: String(e), status: "500" });
  }
});
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: server.address().port, workspaces }));
});
process.stdin.on("end", () => process.exit(0)).resume();
