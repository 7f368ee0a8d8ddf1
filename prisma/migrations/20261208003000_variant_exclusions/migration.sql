-- CreateTable
CREATE TABLE "VariantExclusion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "VariantExclusion_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "VariantExclusion_shopId_productId_idx" ON "VariantExclusion"("shopId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "VariantExclusion_shopId_variantId_key" ON "VariantExclusion"("shopId", "variantId");

