import { serviceEnumeration } from './enumerate-service.ts';
import { serviceCrashPlans } from './service-points.ts';
import { type MeltShape, SERVICE_SHAPES } from './service-shapes.ts';
import type { Check } from './types.ts';

/**
 * Service-level crash points, a plan generator over the service enumeration: swept over melt shapes (exact,
 * exact with change, swap with and without change, input fees), a SIGKILL at each class of equivalent moments
 * of the melt. `mint` granularity (service-crash-story) targets mint calls and declared crash points; `full`
 * (service-crash-points, --profile full) adds database commands.
 */
export function serviceCrashPoints(
  granularity: 'mint' | 'full',
  shapes: readonly MeltShape[] = SERVICE_SHAPES,
  name = granularity === 'mint' ? 'service-crash-story' : 'service-crash-points',
): Check {
  return serviceEnumeration({
    name,
    fullOnly: granularity === 'full',
    shapes,
    plans: (shape, events) => serviceCrashPlans(shape.name, events, granularity),
  });
}
