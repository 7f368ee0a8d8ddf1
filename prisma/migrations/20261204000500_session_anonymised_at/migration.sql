-- Retention marks the sessions it has anonymised, so no run (on any instance, after any restart) reads them again
-- (docs/decisions/0116).

-- AlterTable
ALTER TABLE "CheckoutSession" ADD COLUMN "anonymisedAt" DATETIME;

-- CreateIndex
CREATE INDEX "CheckoutSession_shopId_anonymisedAt_createdAt_idx" ON "CheckoutSession"("shopId", "anonymisedAt", "createdAt");
