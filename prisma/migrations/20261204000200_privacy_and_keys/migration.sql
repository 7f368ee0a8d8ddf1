-- Exact buyer matching for GDPR requests (docs/decisions/0105) and data-request export expiry (0107).
-- Encrypting the Shopify tokens already stored is `npm run secrets:reencrypt`, run after this at deploy (0109).

-- AlterTable
ALTER TABLE "CheckoutSession" ADD COLUMN "buyerEmailHash" TEXT;

-- AlterTable
ALTER TABLE "AgentOrder" ADD COLUMN "shopifyCustomerId" TEXT;

-- AlterTable
ALTER TABLE "ComplianceRequest" ADD COLUMN "expiresAt" DATETIME;

-- CreateIndex
CREATE INDEX "CheckoutSession_shopId_buyerEmailHash_idx" ON "CheckoutSession"("shopId", "buyerEmailHash");

-- CreateIndex
CREATE INDEX "AgentOrder_shopId_shopifyCustomerId_idx" ON "AgentOrder"("shopId", "shopifyCustomerId");

-- CreateIndex
CREATE INDEX "ComplianceRequest_expiresAt_idx" ON "ComplianceRequest"("expiresAt");
