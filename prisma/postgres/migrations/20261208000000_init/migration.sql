-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
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
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "email" TEXT,
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "countryCode" TEXT NOT NULL DEFAULT 'US',
    "primaryUrl" TEXT,
    "policiesJson" TEXT NOT NULL DEFAULT '{}',
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
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
    "feedPushFeedId" TEXT,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentApiKey" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "AgentApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductSelection" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "included" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductSelection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogItem" (
    "id" TEXT NOT NULL,
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
    "shopifyUpdatedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "CatalogItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckoutSession" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "canceledAt" TIMESTAMP(3),
    "buyerEmailHash" TEXT,
    "anonymisedAt" TIMESTAMP(3),

    CONSTRAINT "CheckoutSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "lockedUntil" TIMESTAMP(3),
    "responseStatus" INTEGER,
    "responseBody" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "agentKeyId" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignatureReplay" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignatureReplay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentKeySession" (
    "sessionId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "agentKeyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentKeySession_pkey" PRIMARY KEY ("sessionId")
);

-- CreateTable
CREATE TABLE "AgentOrder" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "shopifyOrderJson" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "lastEventHash" TEXT,
    "eventsSent" INTEGER NOT NULL DEFAULT 0,
    "attribution" TEXT NOT NULL DEFAULT 'checkout',
    "shopifyCustomerId" TEXT,

    CONSTRAINT "AgentOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeRefund" (
    "id" TEXT NOT NULL,
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
    "refundedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StripeRefund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "aggregateId" TEXT,
    "payloadJson" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "deadAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedRun" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "itemsTotal" INTEGER NOT NULL DEFAULT 0,
    "itemsDone" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "detailJson" TEXT NOT NULL DEFAULT '{}',
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "FeedRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookReceipt" (
    "webhookId" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "eventId" TEXT,

    CONSTRAINT "WebhookReceipt_pkey" PRIMARY KEY ("webhookId")
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "exportEnc" TEXT,
    "recordCount" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "ComplianceRequest_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "CheckoutSession_shopId_buyerEmailHash_idx" ON "CheckoutSession"("shopId", "buyerEmailHash");

-- CreateIndex
CREATE INDEX "CheckoutSession_shopId_createdAt_idx" ON "CheckoutSession"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "CheckoutSession_shopId_anonymisedAt_createdAt_idx" ON "CheckoutSession"("shopId", "anonymisedAt", "createdAt");

-- CreateIndex
CREATE INDEX "CheckoutSession_status_updatedAt_idx" ON "CheckoutSession"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "IdempotencyRecord_expiresAt_idx" ON "IdempotencyRecord"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_shopId_agentKeyId_scope_key_key" ON "IdempotencyRecord"("shopId", "agentKeyId", "scope", "key");

-- CreateIndex
CREATE INDEX "SignatureReplay_expiresAt_idx" ON "SignatureReplay"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "SignatureReplay_shopId_digest_key" ON "SignatureReplay"("shopId", "digest");

-- CreateIndex
CREATE INDEX "AgentKeySession_agentKeyId_createdAt_idx" ON "AgentKeySession"("agentKeyId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AgentOrder_checkoutSessionId_key" ON "AgentOrder"("checkoutSessionId");

-- CreateIndex
CREATE INDEX "AgentOrder_shopId_createdAt_idx" ON "AgentOrder"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "AgentOrder_shopId_shopifyOrderId_idx" ON "AgentOrder"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE INDEX "AgentOrder_shopId_shopifyCustomerId_idx" ON "AgentOrder"("shopId", "shopifyCustomerId");

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
CREATE UNIQUE INDEX "WebhookReceipt_topic_eventId_key" ON "WebhookReceipt"("topic", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceRequest_webhookId_key" ON "ComplianceRequest"("webhookId");

-- CreateIndex
CREATE INDEX "ComplianceRequest_shopDomain_receivedAt_idx" ON "ComplianceRequest"("shopDomain", "receivedAt");

-- CreateIndex
CREATE INDEX "ComplianceRequest_expiresAt_idx" ON "ComplianceRequest"("expiresAt");

-- AddForeignKey
ALTER TABLE "AgentApiKey" ADD CONSTRAINT "AgentApiKey_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductSelection" ADD CONSTRAINT "ProductSelection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CatalogItem" ADD CONSTRAINT "CatalogItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckoutSession" ADD CONSTRAINT "CheckoutSession_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdempotencyRecord" ADD CONSTRAINT "IdempotencyRecord_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentOrder" ADD CONSTRAINT "AgentOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StripeRefund" ADD CONSTRAINT "StripeRefund_agentOrderId_fkey" FOREIGN KEY ("agentOrderId") REFERENCES "AgentOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxEvent" ADD CONSTRAINT "OutboxEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedRun" ADD CONSTRAINT "FeedRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

