-- Idempotency scoped per agent key (docs/decisions/0113).
ALTER TABLE "IdempotencyRecord" ADD COLUMN "agentKeyId" TEXT NOT NULL DEFAULT '';
DROP INDEX "IdempotencyRecord_shopId_scope_key_key";
CREATE UNIQUE INDEX "IdempotencyRecord_shopId_agentKeyId_scope_key_key" ON "IdempotencyRecord"("shopId", "agentKeyId", "scope", "key");

-- Request signatures usable once (docs/decisions/0110).
CREATE TABLE "SignatureReplay" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);
CREATE UNIQUE INDEX "SignatureReplay_shopId_digest_key" ON "SignatureReplay"("shopId", "digest");
CREATE INDEX "SignatureReplay_expiresAt_idx" ON "SignatureReplay"("expiresAt");

-- Open checkout sessions per agent key (docs/decisions/0112).
CREATE TABLE "AgentKeySession" (
    "sessionId" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "agentKeyId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "AgentKeySession_agentKeyId_createdAt_idx" ON "AgentKeySession"("agentKeyId", "createdAt");
