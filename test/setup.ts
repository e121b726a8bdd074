import { Testing } from "cdktf";
// Types of cdktf's Jest matchers (toHaveResourceWithProperties, ...).
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
