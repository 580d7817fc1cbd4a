// Better Auth with its SCIM provisioning plugin (@better-auth/scim), on an
// in-memory database, listening on 127.0.0.1, with WORKSPACES isolated
// workspaces, each with its own base path and bearer token. The first line
// on stdout is {"port":N,"workspaces":[{"path":"...","token":"..."}]}.
import http from "node:http";
import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { toNodeHandler } from "better-auth/node";
import { getAuthTables } from "better-auth/db";
import { scim } from "@better-auth/scim";

const n = Number(process.env.WORKSPACES || 1);
// Better Auth keeps one user per email across all SCIM connections, so a
// workspace is a Better Auth instance of its own, on its own in-memory
// database, under base path /w/{i}/api/auth.
const workspaces = [];
const handlers = [];
for (let i = 0; i < n; i++) {
  const token = randomBytes(24).toString("hex");
  const options = {
    secret: randomBytes(32).toString("hex"),
    baseURL: "http://127.0.0.1",
    basePath: `/w/${i}/api/auth`,
    plugins: [scim({ connections: [{ id: "teamctl", credentials: [{ id: "test", token }] }] })],
    // Sign-up by email lets a test make a Better Auth user that no SCIM
    // connection provisioned, as someone who joined on their own is.
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    logger: { level: "error" },
  };
  // The memory adapter holds one array per table; it must know them all.
  const db = {};
  for (const table of Object.values(getAuthTables(options))) db[table.modelName] = [];
  handlers.push(toNodeHandler(betterAuth({ ...options, database: memoryAdapter(db) })));
  workspaces.push({ path: `${options.basePath}/scim/v2`, token, signUp: `${options.basePath}/sign-up/email` });
}

const server = http.createServer((req, res) => {
  const m = req.url.match(/^\/w\/(\d+)\//);
  const handler = m && handlers[Number(m[1])];
  if (!handler) {
    res.writeHead(404, { "content-type": "application/scim+json" });
    return res.end(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], detail: "no such workspace", status: "404" }));
  }
  handler(req, res);
});
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: server.address().port, workspaces }));
});
// The test closes stdin to stop the server.
process.stdin.on("end", () => process.exit(0)).resume();
