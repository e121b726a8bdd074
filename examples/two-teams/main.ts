import { App } from "cdktf";
import { twoTeamsApp } from "./stacks";

const app = new App();
twoTeamsApp(app);
app.synth();
