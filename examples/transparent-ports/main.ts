import { App } from "cdktf";
import { TransparentPortsStack } from "./stack";

const app = new App();
new TransparentPortsStack(app, "transparent-ports");
app.synth();
