// Reads rendered Kubernetes manifests (multi-document YAML) on standard input and validates
// each object against the OpenAPI schema of its apiVersion and kind, as published by Kubernetes
// and compiled by kubernetes-models (see package.json for the version). Prints one JSON line per
// object: {"apiVersion","kind","name","errors":[…]}; exits 1 when any object is invalid.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
});

let invalid = 0;
for (const document of parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    invalid++;
    console.log(JSON.stringify({ errors: document.errors.map((e) => `YAML: ${e.message}`) }));
    continue;
  }
  const object = document.toJS();
  if (object === null) {
    continue;
  }
  if (object.kind === "Secret" && object.data) {
    // kubectl kustomize folds long base64 values over lines; the API server's decoder skips line
    // breaks, the schema's "byte" format does not.
    for (const key of Object.keys(object.data)) {
      object.data[key] = String(object.data[key]).replace(/\s+/g, "");
    }
  }
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  const errors = await validate(object);
  if (errors.length > 0) {
    invalid++;
  }
  console.log(JSON.stringify({ apiVersion, kind, name, errors }));
}
process.exit(invalid > 0 ? 1 : 0);

async function validate(object) {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9.\/]+$/.test(apiVersion) || !/^[A-Za-z]+$/.test(kind)) {
    return ["apiVersion and kind must be set"];
  }
  let model;
  try {
    model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    return [`no schema for ${apiVersion} ${kind} in this Kubernetes version`];
  }
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    return (error.errors ?? [error]).map((e) => (e.instancePath !== undefined ? `${e.instancePath} ${e.message}` : String(e.message ?? e)));
  }
}
