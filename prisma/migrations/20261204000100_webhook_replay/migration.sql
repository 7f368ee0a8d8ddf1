-- AlterTable
ALTER TABLE "WebhookReceipt" ADD COLUMN "eventId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "WebhookReceipt_topic_eventId_key" ON "WebhookReceipt"("topic", "eventId");
