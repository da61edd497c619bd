// The OTLP trace subset of opentelemetry-proto (field numbers from the spec) plus google.rpc.Status,
// embedded as text so the Next bundle needs no .proto files on disk. Enums are int32 to keep it small.
import protobuf from "protobufjs";

const PROTO = `
syntax = "proto3";
package argus.otlp;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
message Status { string message = 2; int32 code = 3; }

message ExportTraceServicePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTraceServicePartialSuccess partial_success = 1; }

message RpcStatus { int32 code = 1; string message = 2; }
`;

export interface OtlpTypes {
  request: protobuf.Type;
  response: protobuf.Type;
  rpcStatus: protobuf.Type;
}

let types: OtlpTypes | undefined;

export function otlpTypes(): OtlpTypes {
  if (!types) {
    const root = protobuf.parse(PROTO, { keepCase: false }).root;
    types = {
      request: root.lookupType("argus.otlp.ExportTraceServiceRequest"),
      response: root.lookupType("argus.otlp.ExportTraceServiceResponse"),
      rpcStatus: root.lookupType("argus.otlp.RpcStatus"),
    };
  }
  return types;
}
