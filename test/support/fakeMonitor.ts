/**
 * A resource monitor on 127.0.0.1, the gRPC service the Pulumi engine serves to a program: enough
 * for the Node language host's runner (@pulumi/pulumi/cmd/run) to start a program and register its
 * stack. It records the types registered; the test that starts it stops it.
 */
import * as grpc from "@grpc/grpc-js";

const resourceGrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const resourcePb = require("@pulumi/pulumi/proto/resource_pb");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");

export interface FakeMonitor {
    readonly address: string;
    /** Types of the resources the program registered, in order. */
    readonly registered: string[];
    stop(): Promise<void>;
}

type Callback = (err: grpc.ServiceError | null, res?: unknown) => void;
type Call = { request: { getType(): string; getName(): string } };

export async function startFakeMonitor(project: string, stack: string): Promise<FakeMonitor> {
    const registered: string[] = [];
    const server = new grpc.Server();
    const unimplemented = (_call: unknown, cb: Callback) => cb({ code: grpc.status.UNIMPLEMENTED, details: "not in the fake monitor" } as grpc.ServiceError);
    const handlers: Record<string, unknown> = {};
    for (const name of Object.keys(resourceGrpc.ResourceMonitorService)) handlers[name] = unimplemented;
    Object.assign(handlers, {
        supportsFeature: (_call: unknown, cb: Callback) => cb(null, new resourcePb.SupportsFeatureResponse().setHassupport(false)),
        registerResource: (call: Call, cb: Callback) => {
            const type = call.request.getType();
            registered.push(type);
            const res = new resourcePb.RegisterResourceResponse();
            res.setUrn(`urn:pulumi:${stack}::${project}::${type}::${call.request.getName()}`);
            cb(null, res);
        },
        registerResourceOutputs: (_call: unknown, cb: Callback) => cb(null, new emptyPb.Empty()),
        signalAndWaitForShutdown: (_call: unknown, cb: Callback) => cb(null, new emptyPb.Empty()),
    });
    server.addService(resourceGrpc.ResourceMonitorService, handlers as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return {
        address: `127.0.0.1:${port}`,
        registered,
        stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
