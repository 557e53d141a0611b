export { GatewayCertificateError, GatewayListenError, GatewayReloadError } from './errors.ts';
export type { GatewayOptions } from './gateway.ts';
export { Gateway } from './gateway.ts';
export type {
  InspectedRequest,
  Inspection,
  InspectionPhase,
  InspectorFactory,
  RequestInspector,
  SecurityEvent,
  SecurityEventSink,
  Verdict,
} from './inspector.ts';
export { allow, noopInspector } from './inspector.ts';
export type { SelfSigned } from './self-signed.ts';
export { generateSelfSigned } from './self-signed.ts';
