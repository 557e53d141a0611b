export type { AuditRecord } from './audit-log.ts';
export {
  GatewayCertificateError,
  GatewayListenError,
  GatewayReloadError,
  GatewayWafError,
} from './errors.ts';
export { EventForwarder } from './event-forwarder.ts';
export { SecurityEventRing } from './event-ring.ts';
export type { GatewayOptions } from './gateway.ts';
export { Gateway } from './gateway.ts';
export type {
  EventSink,
  InspectedRequest,
  Inspection,
  InspectionPhase,
  InspectorFactory,
  MatchedRule,
  RequestInspector,
  SecurityEvent,
  Verdict,
} from './inspector.ts';
export { allow, noopInspector } from './inspector.ts';
export type { SelfSigned } from './self-signed.ts';
export { generateSelfSigned } from './self-signed.ts';
export type { StoreEventSinkOptions } from './store-sink.ts';
export { fanOut, StoreEventSink } from './store-sink.ts';
export type { WafInspectorFactoryOptions } from './waf/site-inspector.ts';
export { wafInspectorFactory } from './waf/site-inspector.ts';
