import Dispatch
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The `podinfo` executable: configuration, logging, the HTTP (and optional metrics) server, the Redis heartbeat, and
/// podinfo's SIGTERM sequence (``ShutdownGrace``, ``ShutdownDeadline``).
public enum PodinfoCommand {
    /// Runs until shut down; returns the process exit status (0 after a graceful stop, 1 when serving failed,
    /// 2 for a usage error).
    public static func main(
        arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async -> Int32 {
        let config: PodinfoConfig
        do {
            switch try ConfigLoader(arguments: arguments, environment: environment).load() {
            case .printHelp(let usage):
                print(usage)
                return 0
            case .printVersion(let version):
                print(version)
                return 0
            case .serve(var loaded):
                loaded.hostname = hostname(environment: environment)
                config = loaded
            }
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n\(ConfigLoader.usage)\n".utf8))
            return 2
        }

        let level = JSONLogHandler.level(named: config.level)
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        let logger = Logger(label: "podinfo")
        var frameworkLogger = Logger(label: "hummingbird")
        frameworkLogger.logLevel = max(level, .warning)

        logger.info(
            "Starting podinfo",
            metadata: [
                "version": .string(config.version), "revision": .string(config.revision), "port": "\(config.port)",
            ]
        )
        if config.grpcPort > 0 {
            logger.warning(
                "gRPC is not implemented by this podinfo; --grpc-port is ignored",
                metadata: ["port": "\(config.grpcPort)"]
            )
        }

        let state = ServerState(healthy: false, ready: false)
        let metrics = PodinfoMetrics()
        let cache =
            config.cacheServer.isEmpty
            ? nil : RedisClient(server: config.cacheServer, syntax: CacheServerSyntax(version: config.version))
        let watcher = config.configPath.isEmpty ? nil : ConfigWatcher(directory: config.configPath, logger: logger)
        let responder = PodinfoResponder(
            config: config,
            state: state,
            metrics: metrics,
            logger: logger,
            cache: cache,
            configWatcher: watcher
        )

        // A ServiceGroup shuts its services down in reverse order of this list, each after the one before returned:
        // the grace first (probes 503, 3 s), then the heartbeat, the HTTP server (stop accepting, drain), the metrics
        // server, and the deadline last.
        var services: [any Service] = [ShutdownDeadline(timeout: config.serverShutdownTimeout, logger: logger)]
        if config.portMetrics > 0 {
            services.append(
                Application(
                    responder: MetricsPortResponder(metrics: metrics),
                    configuration: .init(address: .hostname(config.bindHost, port: config.portMetrics)),
                    logger: frameworkLogger
                )
            )
        }
        if config.port > 0 {
            let server = HTTPServerBuilder.http1(
                configuration: .init(
                    idleTimeout: .seconds(max(1, 2 * Int64(config.httpServerTimeout.components.seconds)))
                )
            )
            services.append(
                Application(
                    responder: responder,
                    server: server,
                    configuration: .init(address: .hostname(config.bindHost, port: config.port)),
                    onServerRunning: { channel in
                        logger.info(
                            "Starting HTTP Server.",
                            metadata: ["addr": "\(config.host):\(channel.localAddress?.port ?? config.port)"]
                        )
                        state.healthy = !config.unhealthy
                        state.ready = !config.unready
                    },
                    logger: frameworkLogger
                )
            )
        }
        if let cache {
            services.append(
                CacheHeartbeat(client: cache, hostname: config.hostname, version: config.version, logger: logger)
            )
        }
        services.append(ShutdownGrace(config: config, state: state, logger: logger))
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: frameworkLogger
            )
        )
        do {
            try await group.run()
        } catch {
            logger.critical("HTTP server crashed", metadata: ["error": .string("\(error)")])
            return 1
        }
        return 0
    }

    /// `os.Hostname()`; a non-empty `HOSTNAME` variable wins, so a replica started by the local backend reports its
    /// pod name as it would in Kubernetes.
    private static func hostname(environment: [String: String]) -> String {
        if let name = environment["HOSTNAME"], !name.isEmpty { return name }
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
