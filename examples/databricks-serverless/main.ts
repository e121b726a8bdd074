import { App } from "cdktf";
import { DatabricksServerlessStack } from "./stack";

const app = new App();
new DatabricksServerlessStack(app, "databricks-serverless");
app.synth();
