// Runs once before the whole suite: builds the pristine migrated database that DB tests copy.
import { prepareTemplateDatabase } from "./support/db";

export default async function setup() {
  await prepareTemplateDatabase();
}
