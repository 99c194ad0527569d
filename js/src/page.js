// Entry of the standalone page: start the host on this document.
import { start } from "./host.js";

start();
