// Validates Kubernetes objects against Kubernetes' OpenAPI schemas with
// kubernetes-models (an ES module package, so it runs here in plain Node,
// not in jest's CommonJS). Reads a JSON array of objects on stdin, writes a
// JSON array of problems: { index, apiVersion, kind, name, error }.
const API_VERSION = /^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

let text = '';
for await (const chunk of process.stdin) text += chunk;
const problems = [];
for (const [index, object] of JSON.parse(text).entries()) {
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  try {
    if (!API_VERSION.test(apiVersion) || !KIND.test(kind)) throw new Error('not an apiVersion and kind');
    const Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
    new Model(object).validate();
  } catch (error) {
    problems.push({ index, apiVersion, kind, name, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(problems));
