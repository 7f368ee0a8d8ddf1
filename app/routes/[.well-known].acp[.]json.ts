// GET /.well-known/acp.json: the public ACP discovery document (Cache-Control: public, max-age=3600).
import { acpFor } from "../acp/compose.server";
import { services } from "../services.server";

export const loader = () => acpFor(services).discovery();
