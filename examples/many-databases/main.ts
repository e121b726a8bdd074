import { App } from "cdktf";
import { ManyDatabasesStack } from "./stack";

const app = new App();
new ManyDatabasesStack(app, "many-databases");
app.synth();
