import { App } from "cdktf";
import { Observability } from "./observability";

const app = new App();
new Observability(app, "observability");
app.synth();
