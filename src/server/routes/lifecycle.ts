import { sendText } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';
import type { AppControl } from './control.ts';

/** `/-/healthy`, `/-/ready`, `/-/reload` and `/-/quit`, as Prometheus serves them. */
export function lifecycleRoutes(control: AppControl): Route[] {
  const reload: Route['handle'] = async ({ res }) => {
    const result = await control.reload();
    if (!result.ok) throw new HttpError(500, 'internal', `failed to reload config: ${result.error}`);
    sendText(res, 200, 'Config reloaded.\n');
  };
  const quit: Route['handle'] = ({ res }) => {
    sendText(res, 200, 'Requesting termination... Goodbye!\n');
    res.once('finish', () => control.quit());
  };
  return [
    {
      method: 'GET',
      pattern: '/-/healthy',
      access: 'user',
      handle: ({ res }) => sendText(res, 200, 'vigil is Healthy.\n'),
    },
    {
      method: 'GET',
      pattern: '/-/ready',
      access: 'user',
      handle: ({ res }) =>
        control.isReady() ? sendText(res, 200, 'vigil is Ready.\n') : sendText(res, 503, 'Service Unavailable\n'),
    },
    { method: 'POST', pattern: '/-/reload', access: 'admin', handle: reload },
    { method: 'PUT', pattern: '/-/reload', access: 'admin', handle: reload },
    { method: 'POST', pattern: '/-/quit', access: 'admin', handle: quit },
    { method: 'PUT', pattern: '/-/quit', access: 'admin', handle: quit },
  ];
}
