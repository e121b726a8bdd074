// Parses Mermaid text (stdin) with mermaid's own parser in Node (jsdom gives DOMPurify its
// window); prints "ok <diagram type>" or the parse error and exits 1.
import { JSDOM } from "jsdom";

const { window } = new JSDOM("");
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import("mermaid");
let text = "";
for await (const chunk of process.stdin) text += chunk;
try {
  const result = await mermaid.parse(text);
  process.stdout.write(`ok ${result.diagramType}\n`);
} catch (e) {
  process.stdout.write(`error ${e.message}\n`);
  process.exitCode = 1;
}
