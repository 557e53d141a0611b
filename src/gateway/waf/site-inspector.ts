/**
 * Builds the gateway's inspector from its config: one engine per distinct `waf.crs_dir` (recommended config,
 * then CRS in its documented order), one baseline engine shared by the sites without a CRS directory, and
 * each request routed to its site's engine. Everything is compiled here, at start and on each reload; a
 * CRS directory that cannot be loaded throws GatewayWafError naming the site and the file:line at fault.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayConfig } from '../../config/index.ts';
import type { Logger } from '../../log/index.ts';
import { GatewayWafError } from '../errors.ts';
import type { InspectedRequest, Inspection, InspectorFactory, RequestInspector } from '../inspector.ts';
import { baselineRules } from './baseline.ts';
import { WafEngine } from './engine.ts';
import { WafInspector } from './inspector.ts';
import { recommendedConfig } from './recommended.ts';
import { crsFiles } from './seclang/files.ts';

/** Sends each request to the inspector of its site (by site name); sites without one are not inspected. */
class SiteInspector implements RequestInspector {
  constructor(private readonly bySite: ReadonlyMap<string, RequestInspector>) {}

  open(request: InspectedRequest): Inspection | null {
    return this.bySite.get(request.site)?.open(request) ?? null;
  }
}

export interface WafInspectorFactoryOptions {
  /** Warnings (a site running the baseline rule set) and load summaries go here. */
  readonly logger: Logger;
}

/**
 * An InspectorFactory for `GatewayOptions.inspector`. Engines are built per config, never shared across
 * configs (a reload re-reads the CRS files). The "full protection needs CRS" warning is logged once per site
 * for the factory's lifetime.
 */
export function wafInspectorFactory(options: WafInspectorFactoryOptions): InspectorFactory {
  const warned = new Set<string>();
  return (config: GatewayConfig) => {
    const engines = new Map<string, WafEngine>();
    const bySite = new Map<string, RequestInspector>();
    config.sites.forEach((site, i) => {
      if (!site.waf.enabled) return;
      const name = site.hosts[0] as string;
      const key = site.waf.crs_dir ?? '';
      let engine = engines.get(key);
      if (engine === undefined) {
        engine = loadEngine(site.waf.crs_dir, i);
        engines.set(key, engine);
        options.logger.info('waf rules loaded', {
          crs_dir: site.waf.crs_dir ?? '(built-in baseline)',
          rules: engine.ruleCount,
          skipped: engine.skippedRules.length,
        });
      }
      if (site.waf.crs_dir === undefined && !warned.has(`${i}:${name}`)) {
        warned.add(`${i}:${name}`);
        options.logger.warn(
          `site ${name} runs the built-in baseline rules only: full protection needs CRS: set gateway.sites[${i}].waf.crs_dir`,
          { site: name },
        );
      }
      bySite.set(name, new WafInspector(engine));
    });
    return new SiteInspector(bySite);
  };
}

function read(file: string): { name: string; text: string } {
  return { name: file, text: readFileSync(file, 'latin1') };
}

function loadEngine(crsDir: string | undefined, siteIndex: number): WafEngine {
  const recommended = { name: 'recommended.conf', text: recommendedConfig() };
  try {
    if (crsDir !== undefined && !crsFiles(crsDir).some((f) => f.startsWith(join(crsDir, 'rules')))) {
      throw new Error(`no rules/*.conf in ${crsDir}`);
    }
    return crsDir === undefined
      ? new WafEngine({ sources: [recommended, { name: 'baseline.conf', text: baselineRules() }] })
      : new WafEngine({ sources: [recommended, ...crsFiles(crsDir).map(read)] });
  } catch (err) {
    throw new GatewayWafError(siteIndex, crsDir ?? '(built-in baseline)', { cause: err });
  }
}
