import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { login } from "../../shopify.server";
import { BODY_LIMITS, BodyTooLarge, tooLargeText, withBodyLimit } from "../../http/body-limit.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

function shopError(errors: Awaited<ReturnType<typeof login>>): string | undefined {
  if (!errors || errors instanceof Response) return undefined;
  if (errors.shop === "MISSING_SHOP") return "Please enter your shop domain to log in";
  if (errors.shop === "INVALID_SHOP") return "Please enter a valid shop domain to log in";
  return undefined;
}

export const loader = async ({ request }: LoaderFunctionArgs) => json({ error: shopError(await login(request)), polarisTranslations });
// The form carries a shop domain: its body is capped before the library reads it (docs/decisions/0100).
export const action = async ({ request }: ActionFunctionArgs) => {
  const capped = await withBodyLimit(request, BODY_LIMITS.login).catch((error: unknown) => {
    if (error instanceof BodyTooLarge) throw tooLargeText(error.limit);
    throw error;
  });
  return json({ error: shopError(await login(capped)) });
};

export default function Auth() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const error = actionData?.error ?? loaderData.error;
  return (
    <PolarisAppProvider i18n={loaderData.polarisTranslations}>
      <Page>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                Log in
              </Text>
              <TextField type="text" name="shop" label="Shop domain" helpText="example.myshopify.com" value={shop} onChange={setShop} autoComplete="on" error={error} />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
