import { parseMetricSelector } from '../../promql/index.ts';
import { metadataApi, type TargetRetriever, targetsApi, targetsMetadataApi } from '../../scrape/index.ts';
import { sendData } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';

/** `/api/v1/targets`, `/api/v1/targets/metadata` and `/api/v1/metadata`, in Prometheus' shapes. */
export function targetRoutes(targets: () => TargetRetriever | undefined): Route[] {
  const retriever = (): TargetRetriever => {
    const r = targets();
    if (r === undefined) throw new HttpError(503, 'unavailable', 'the scrape manager is not running');
    return r;
  };
  const limitOf = (url: URL): number | undefined => {
    const raw = url.searchParams.get('limit');
    if (raw === null || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n))
      throw new HttpError(400, 'bad_data', `invalid limit ${JSON.stringify(raw)}: expected an integer`);
    return n;
  };
  return [
    {
      method: 'GET',
      pattern: '/api/v1/targets',
      access: 'user',
      handle: ({ res, url }) => sendData(res, targetsApi(retriever(), url.searchParams.get('state') ?? '')),
    },
    {
      method: 'GET',
      pattern: '/api/v1/targets/metadata',
      access: 'user',
      handle({ res, url }) {
        const match = url.searchParams.get('match_target');
        let matchTarget: ReturnType<typeof parseMetricSelector> | undefined;
        if (match !== null && match !== '') {
          try {
            matchTarget = parseMetricSelector(match);
          } catch (err) {
            throw new HttpError(400, 'bad_data', (err as Error).message);
          }
        }
        const metric = url.searchParams.get('metric') ?? undefined;
        const limit = limitOf(url);
        sendData(
          res,
          targetsMetadataApi(retriever(), {
            ...(matchTarget ? { matchTarget } : {}),
            ...(metric ? { metric } : {}),
            ...(limit !== undefined ? { limit } : {}),
          }),
        );
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/metadata',
      access: 'user',
      handle({ res, url }) {
        const metric = url.searchParams.get('metric') ?? undefined;
        const limit = limitOf(url);
        sendData(
          res,
          metadataApi(retriever(), { ...(metric ? { metric } : {}), ...(limit !== undefined ? { limit } : {}) }),
        );
      },
    },
  ];
}
