// A CDK Terrain app: run by `npm run example:cdktn` through the real cdktn CLI (see README.md).
import { App } from "cdktn";
import { CdktnServerlessStack } from "./stack";

const app = new App();
new CdktnServerlessStack(app, "cdktn-serverless");
app.synth();
