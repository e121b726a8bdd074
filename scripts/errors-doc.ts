// `npm run docs:errors`: rewrites the README's error section from the bad-input catalogue.
import * as fs from "fs";
import * as path from "path";
import { withErrorTable } from "../test/robustness/catalogue";

const file = path.join(__dirname, "..", "README.md");
fs.writeFileSync(file, withErrorTable(fs.readFileSync(file, "utf8")));
console.log("README.md error section updated");
