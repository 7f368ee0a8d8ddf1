// GET /.well-known/acp.json: the public ACP discovery document (Cache-Control: public, max-age=3600).
import { services } from "../services.server";

export const loader = () => services.acp().discovery();
