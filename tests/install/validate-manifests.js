// Validates Kubernetes manifests against the Kubernetes API's OpenAPI
// schemas, as compiled (ajv) by the npm package kubernetes-models, then
// checks what a schema cannot see in this project's examples.
// usage: node validate-manifests.js NODE_MODULES_DIR FILE.yaml...
// Exit 0 when every document passes; 1 with one line per problem.
"use strict";
const path = require("path");
const fs = require("fs");
const modules = process.argv[2];
const req = (m) => require(path.join(modules, m));
const yaml = req("js-yaml");

let problems = 0;
const fail = (file, what) => { console.log(`FAIL: ${file}: ${what}`); problems++; };

function modelFor(apiVersion, kind) {
  // "apps/v1" -> kubernetes-models/apps/v1/Deployment, "v1" -> .../v1/Service
  const file = path.join(modules, "kubernetes-models", apiVersion, kind + ".js");
  if (!fs.existsSync(file)) return null;
  return require(file)[kind];
}

for (const file of process.argv.slice(3)) {
  const docs = yaml.loadAll(fs.readFileSync(file, "utf8")).filter((d) => d);
  const templates = [];
  const services = [];
  for (const doc of docs) {
    const where = `${doc.kind}/${doc.metadata && doc.metadata.name}`;
    const Model = modelFor(doc.apiVersion || "", doc.kind || "");
    if (!Model) { fail(file, `${where}: no schema for ${doc.apiVersion} ${doc.kind}`); continue; }
    try {
      new Model(doc).validate();
      console.log(`ok: ${file}: ${where} (${doc.apiVersion})`);
    } catch (e) {
      fail(file, `${where}: ${e.message}`);
      continue;
    }
    if (doc.kind === "Service") services.push(doc);
    if (doc.spec && doc.spec.template) {
      const t = doc.spec.template;
      templates.push(t);
      const sel = (doc.spec.selector && doc.spec.selector.matchLabels) || {};
      for (const [k, v] of Object.entries(sel))
        if ((t.metadata.labels || {})[k] !== v) fail(file, `${where}: selector ${k}=${v} does not match the pod labels`);
      for (const c of t.spec.containers) {
        if (/:latest$|^[^:]*$/.test(c.image) && !["IfNotPresent", "Never"].includes(c.imagePullPolicy))
          fail(file, `${where}: ${c.image} is pulled on every start (imagePullPolicy ${c.imagePullPolicy || "Always by default"})`);
        if (c.command) fail(file, `${where}: command replaces the image's ENTRYPOINT: use args`);
        const pre = c.lifecycle && c.lifecycle.preStop && c.lifecycle.preStop.exec;
        if (!pre || !/kill -INT 1/.test(pre.command.join(" ")))
          fail(file, `${where}: no preStop that sends SIGINT to PID 1`);
        const limits = (c.resources && c.resources.limits) || {};
        const gpu = Object.keys(limits).some((r) => r.startsWith("gpu.intel.com/"));
        const groups = (t.spec.securityContext || {}).supplementalGroups || [];
        if (gpu && groups.length === 0)
          fail(file, `${where}: a GPU pod needs the render node's gid in supplementalGroups`);
      }
    }
  }
  for (const s of services) {
    const pods = templates.filter((t) =>
      Object.entries(s.spec.selector || {}).every(([k, v]) => (t.metadata.labels || {})[k] === v));
    if (pods.length === 0) fail(file, `Service/${s.metadata.name}: selects no pod template`);
    for (const p of s.spec.ports) {
      const named = typeof p.targetPort === "string";
      for (const t of pods) {
        const ports = t.spec.containers.flatMap((c) => c.ports || []);
        if (!ports.some((cp) => (named ? cp.name === p.targetPort : cp.containerPort === (p.targetPort || p.port))))
          fail(file, `Service/${s.metadata.name}: targetPort ${p.targetPort} is not a port of ${t.metadata.labels.encoder || "a pod"}`);
      }
    }
  }
}
if (problems) { console.log(`${problems} problem(s)`); process.exit(1); }
console.log("all manifests valid");
