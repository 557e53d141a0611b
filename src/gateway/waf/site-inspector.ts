/**
 * Builds the gateway's inspector from its config: one engine per distinct `waf.crs_dir` (recommended config,
 * then CRS in its documented order), one baseline engine shared by the sites without a CRS directory, and
 * each request routed to its site's engine. Everything is compiled here, at start and on each reload; a
 * CRS directory that cannot be loaded throws GatewayWafError naming the site and the file:line at fault.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayConfig, GatewayWafConfig } from '../../config/index.ts';
import type { Logger } from '../../log/index.ts';
import { GatewayWafError } from '../errors.ts';
import type { InspectedRequest, Inspection, InspectorFactory, RequestInspector } from '../inspector.ts';
import { baselineRules } from './baseline.ts';
import { WafEngine } from './engine.ts';
import { compileExclusions } from './exclusions.ts';
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
      const w = site.waf;
      const key = JSON.stringify([w.crs_dir ?? '', w.crs_setup_file ?? '', w.rules_before_crs, w.rules_after_crs]);
      let engine = engines.get(key);
      if (engine === undefined) {
        engine = loadEngine(w, i);
        engines.set(key, engine);
        options.logger.info('waf rules loaded', {
          crs_dir: w.crs_dir ?? '(built-in baseline)',
          rules: engine.ruleCount,
          skipped: engine.skippedRules.length,
        });
      }
      if (w.crs_dir === undefined && !warned.has(`${i}:${name}`)) {
        warned.add(`${i}:${name}`);
        options.logger.warn(
          `site ${name} runs the built-in baseline rules only: full protection needs CRS: set gateway.sites[${i}].waf.crs_dir`,
          { site: name },
        );
      }
      const compiled = compileExclusions(w.exclusions, engine.ruleIds, `gateway.sites[${i}].waf`);
      if ('error' in compiled) {
        throw new GatewayWafError(i, w.crs_dir ?? '(built-in baseline)', {
          cause: new Error(compiled.error),
          detail: compiled.error,
        });
      }
      bySite.set(name, new WafInspector(engine, compiled.exclusions));
    });
    return new SiteInspector(bySite);
  };
}

interface ConfigText {
  name: string;
  text: string;
}

function read(file: string): ConfigText {
  return { name: file, text: readFileSync(file, 'latin1') };
}

function loadEngine(w: GatewayWafConfig, siteIndex: number): WafEngine {
  const crsDir = w.crs_dir;
  const recommended = { name: 'recommended.conf', text: recommendedConfig() };
  try {
    const before = w.rules_before_crs.map(read);
    const after = w.rules_after_crs.map(read);
    if (crsDir === undefined) {
      return new WafEngine({
        sources: [recommended, ...before, { name: 'baseline.conf', text: baselineRules() }, ...after],
      });
    }
    const files = crsFiles(crsDir, w.crs_setup_file);
    if (!files.some((f) => f.startsWith(join(crsDir, 'rules')))) throw new Error(`no rules/*.conf in ${crsDir}`);
    if (w.crs_setup_file === undefined && !existsSync(files[0] as string)) {
      throw new Error(
        `no crs-setup.conf or crs-setup.conf.example in ${crsDir}: set waf.crs_setup_file (Debian's modsecurity-crs: /etc/modsecurity/crs/crs-setup.conf)`,
      );
    }
    // crsFiles lists crs-setup.conf first; the user's files follow it, before the rules.
    const [setup, ...rest] = files.map(read);
    return new WafEngine({ sources: [recommended, setup as ConfigText, ...before, ...rest, ...after] });
  } catch (err) {
    throw new GatewayWafError(siteIndex, crsDir ?? '(built-in baseline)', { cause: err });
  }
}
