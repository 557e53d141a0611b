/**
 * The engine configuration that goes before CRS, equivalent to ModSecurity's recommended one: body access,
 * the XML and JSON body processors chosen by Content-Type, and rules that flag request bodies the engine
 * could not parse (ids 200000–200005, the ids CRS documentation refers to).
 */

export interface RecommendedOptions {
  /** SecRuleEngine value. @default 'DetectionOnly' */
  ruleEngine?: 'On' | 'DetectionOnly' | 'Off';
  /** Inspect response bodies. @default true */
  responseBodyAccess?: boolean;
  /** MIME types whose response bodies are inspected. @default text/plain text/html text/xml application/json */
  responseBodyMimeTypes?: string;
}

export function recommendedConfig(o: RecommendedOptions = {}): string {
  return `
SecRuleEngine ${o.ruleEngine ?? 'DetectionOnly'}
SecRequestBodyAccess On
SecResponseBodyAccess ${o.responseBodyAccess === false ? 'Off' : 'On'}
SecResponseBodyMimeType ${o.responseBodyMimeTypes ?? 'text/plain text/html text/xml application/json'}
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 131072
SecRequestBodyJsonDepthLimit 512
SecArgumentsLimit 1000
SecRule REQUEST_HEADERS:Content-Type "@rx ^(?:application(?:/soap\\+|/)|text/)xml" \\
  "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" \\
  "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRule REQBODY_ERROR "!@eq 0" \\
  "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}',severity:2"
SecRule MULTIPART_STRICT_ERROR "!@eq 0" \\
  "id:200003,phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation.'"
SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" \\
  "id:200004,phase:2,t:none,log,deny,msg:'Multipart parser detected a possible unmatched boundary.'"
SecRule TX:/^MSC_/ "!@streq 0" \\
  "id:200005,phase:2,t:none,deny,msg:'ModSecurity internal error flagged: %{MATCHED_VAR_NAME}'"
`;
}
