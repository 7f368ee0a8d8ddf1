// Public feed download at the shop's unguessable token URL (docs/decisions/0047). No session: the token is the key.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { services } from "../services.server";
import { serveFeedFile } from "../catalog/feed-serve.server";

export const loader = ({ params, request }: LoaderFunctionArgs) =>
  serveFeedFile(services.db, params.token ?? "", params.file ?? "", request);
