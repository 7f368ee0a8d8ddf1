// ReplayGuard on Prisma: a used signature is a row, unique per shop, so every instance on the database and every
// restart sees it (docs/decisions/0110). Insert-first: of two identical requests racing, exactly one wins.
import { Prisma, type PrismaClient } from "@prisma/client";
import type { ReplayGuard } from "../acp/signature";

export function createPrismaReplayGuard(db: PrismaClient): ReplayGuard {
  return {
    async firstUse({ shopId, replayId, until, now }) {
      try {
        await db.signatureReplay.create({ data: { shopId, digest: replayId, expiresAt: until } });
        return true;
      } catch (error) {
        if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
      }
      // A row past its window cannot be a live replay (the Timestamp check refuses it first); clear it and retry.
      const { count } = await db.signatureReplay.deleteMany({ where: { shopId, digest: replayId, expiresAt: { lte: now } } });
      if (count === 0) return false;
      return this.firstUse({ shopId, replayId, until, now });
    },
  };
}
