-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "email" TEXT,
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "countryCode" TEXT NOT NULL DEFAULT 'US',
    "primaryUrl" TEXT,
    "policiesJson" TEXT NOT NULL DEFAULT '{}',
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "checkoutMode" TEXT NOT NULL DEFAULT 'agent_payment',
    "sessionTtlMinutes" INTEGER NOT NULL DEFAULT 360,
    "signatureRequired" BOOLEAN NOT NULL DEFAULT false,
    "signatureSecretEnc" TEXT,
    "stripeSecretKeyEnc" TEXT,
    "stripeAccountId" TEXT,
    "stripeMode" TEXT NOT NULL DEFAULT 'test',
    "orderWebhookUrl" TEXT,
    "orderWebhookSecretEnc" TEXT,
    "orderEventNamesJson" TEXT NOT NULL DEFAULT '{}',
    "selectionRule" TEXT NOT NULL DEFAULT 'chosen',
    "selectionValue" TEXT,
    "feedSettingsJson" TEXT NOT NULL DEFAULT '{}',
    "feedTokenHash" TEXT,
    "feedTokenEnc" TEXT,
    "feedPushUrl" TEXT,
    "feedPushKeyEnc" TEXT,
    "feedPushFeedId" TEXT
);

-- CreateTable
CREATE TABLE "AgentApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "AgentApiKey_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProductSelection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "included" BOOLEAN NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ProductSelection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CatalogItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "inventoryItemId" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "productTitle" TEXT NOT NULL DEFAULT '',
    "variantTitle" TEXT NOT NULL DEFAULT '',
    "vendor" TEXT,
    "productType" TEXT,
    "tagsJson" TEXT NOT NULL DEFAULT '[]',
    "collectionIdsJson" TEXT NOT NULL DEFAULT '[]',
    "productStatus" TEXT NOT NULL DEFAULT 'ACTIVE',
    "priceMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "inventoryQuantity" INTEGER,
    "availability" TEXT NOT NULL,
    "feedItemJson" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "pushedHash" TEXT,
    "selected" BOOLEAN NOT NULL DEFAULT false,
    "eligible" BOOLEAN NOT NULL DEFAULT false,
    "feedStatus" TEXT NOT NULL DEFAULT 'excluded',
    "problemsJson" TEXT NOT NULL DEFAULT '[]',
    "problemCodes" TEXT NOT NULL DEFAULT ' ',
    "shopifyUpdatedAt" DATETIME,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" DATETIME,
    CONSTRAINT "CatalogItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CheckoutSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "apiVersion" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "stateJson" TEXT NOT NULL,
    "totalMinor" INTEGER NOT NULL DEFAULT 0,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "agentName" TEXT,
    "paymentIntentId" TEXT,
    "shopifyOrderId" TEXT,
    "intentTraceJson" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    "canceledAt" DATETIME,
    CONSTRAINT "CheckoutSession_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "lockedUntil" DATETIME,
    "responseStatus" INTEGER,
    "responseBody" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "IdempotencyRecord_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AgentOrder" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "checkoutSessionId" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "statusUrl" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'created',
    "totalMinor" INTEGER NOT NULL,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL,
    "paymentIntentId" TEXT,
    "agentName" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "shopifyOrderJson" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "lastEventHash" TEXT,
    "eventsSent" INTEGER NOT NULL DEFAULT 0,
    "attribution" TEXT NOT NULL DEFAULT 'checkout',
    CONSTRAINT "AgentOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StripeRefund" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "agentOrderId" TEXT NOT NULL,
    "shopifyRefundId" TEXT NOT NULL,
    "paymentIntentId" TEXT NOT NULL,
    "requestedMinor" INTEGER NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "stripeRefundId" TEXT,
    "lastError" TEXT,
    "refundedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StripeRefund_agentOrderId_fkey" FOREIGN KEY ("agentOrderId") REFERENCES "AgentOrder" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "aggregateId" TEXT,
    "payloadJson" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" DATETIME,
    "deliveredAt" DATETIME,
    "deadAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutboxEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FeedRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "itemsTotal" INTEGER NOT NULL DEFAULT 0,
    "itemsDone" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "detailJson" TEXT NOT NULL DEFAULT '{}',
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "FeedRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookReceipt" (
    "webhookId" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "exportEnc" TEXT,
    "recordCount" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_feedTokenHash_key" ON "Shop"("feedTokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "AgentApiKey_keyHash_key" ON "AgentApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "AgentApiKey_shopId_idx" ON "AgentApiKey"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "ProductSelection_shopId_productId_key" ON "ProductSelection"("shopId", "productId");

-- CreateIndex
CREATE INDEX "CatalogItem_shopId_productId_idx" ON "CatalogItem"("shopId", "productId");

-- CreateIndex
CREATE INDEX "CatalogItem_shopId_eligible_variantId_idx" ON "CatalogItem"("shopId", "eligible", "variantId");

-- CreateIndex
CREATE INDEX "CatalogItem_shopId_inventoryItemId_idx" ON "CatalogItem"("shopId", "inventoryItemId");

-- CreateIndex
CREATE INDEX "CatalogItem_shopId_productTitle_productId_idx" ON "CatalogItem"("shopId", "productTitle", "productId");

-- CreateIndex
CREATE INDEX "CatalogItem_shopId_vendor_idx" ON "CatalogItem"("shopId", "vendor");

-- CreateIndex
CREATE INDEX "CatalogItem_shopId_syncedAt_idx" ON "CatalogItem"("shopId", "syncedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogItem_shopId_variantId_key" ON "CatalogItem"("shopId", "variantId");

-- CreateIndex
CREATE INDEX "CheckoutSession_shopId_status_idx" ON "CheckoutSession"("shopId", "status");

-- CreateIndex
CREATE INDEX "CheckoutSession_shopId_createdAt_idx" ON "CheckoutSession"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "CheckoutSession_status_updatedAt_idx" ON "CheckoutSession"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "IdempotencyRecord_expiresAt_idx" ON "IdempotencyRecord"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_shopId_scope_key_key" ON "IdempotencyRecord"("shopId", "scope", "key");

-- CreateIndex
CREATE UNIQUE INDEX "AgentOrder_checkoutSessionId_key" ON "AgentOrder"("checkoutSessionId");

-- CreateIndex
CREATE INDEX "AgentOrder_shopId_createdAt_idx" ON "AgentOrder"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "AgentOrder_shopId_shopifyOrderId_idx" ON "AgentOrder"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE INDEX "StripeRefund_agentOrderId_idx" ON "StripeRefund"("agentOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "StripeRefund_shopId_shopifyRefundId_key" ON "StripeRefund"("shopId", "shopifyRefundId");

-- CreateIndex
CREATE INDEX "OutboxEvent_deliveredAt_deadAt_nextAttemptAt_idx" ON "OutboxEvent"("deliveredAt", "deadAt", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxEvent_shopId_aggregateId_idx" ON "OutboxEvent"("shopId", "aggregateId");

-- CreateIndex
CREATE INDEX "FeedRun_shopId_startedAt_idx" ON "FeedRun"("shopId", "startedAt");

-- CreateIndex
CREATE INDEX "WebhookReceipt_receivedAt_idx" ON "WebhookReceipt"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceRequest_webhookId_key" ON "ComplianceRequest"("webhookId");

-- CreateIndex
CREATE INDEX "ComplianceRequest_shopDomain_receivedAt_idx" ON "ComplianceRequest"("shopDomain", "receivedAt");
