/** Input schemas of the analytics calls (issue 9); declared in `contract.ts`. */
import { z } from 'zod';

/** Which history an answer reads: the last `days` (default 30), optionally one instance or project. */
export const analyticsScopeSchema = z.strictObject({
  days: z.number().int('days must be a whole number').min(1, 'days must be at least 1').max(3650, 'days must be at most 3650').default(30),
  instance: z.string().trim().min(1).max(64).optional(),
  project: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, 'project keys are upper-case, e.g. PROJ')
    .optional(),
  /** The user's offset from UTC (minutes east), so hours and weekdays are the user's; every zone's is whole quarter hours. */
  utcOffsetMinutes: z
    .number()
    .int()
    .multipleOf(15, 'utcOffsetMinutes must be a whole number of quarter hours')
    .min(-14 * 60)
    .max(14 * 60)
    .default(0),
});

export const applyRecommendationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'id must be a recommendation id, e.g. raise-workers'),
});
