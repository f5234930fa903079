package shanzhi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.server.CommunityBootstrapper;

/**
 * Local development/test Neo4j server for shanzhi: Neo4j 5.26 Community started in-process the
 * way the {@code neo4j} command starts it (its {@link CommunityBootstrapper}), with the Bolt
 * connector on 127.0.0.1:PORT and the HTTP connector on 127.0.0.1:HTTP_PORT serving Neo4j
 * Browser ({@code org.neo4j.client:neo4j-browser}, on the classpath) at {@code /browser/}.
 *
 * <p>Usage: {@code Neo4jLauncher [DATA_DIR [PORT [PASSWORD [PAGECACHE [HTTP_PORT]]]]]}; any
 * argument not given is read from the environment ({@code SHANZHI_NEO4J_DIR}, {@code
 * SHANZHI_NEO4J_PORT}, {@code SHANZHI_NEO4J_PASSWORD}, {@code SHANZHI_NEO4J_PAGECACHE}, {@code
 * SHANZHI_NEO4J_HTTP_PORT}; HTTP_PORT 0 turns the HTTP connector and Browser off).
 *
 * <p>Everything (store, transaction logs, neo4j.log, debug.log) lives under DATA_DIR, the Neo4j
 * home directory. Authentication is enabled; user {@code neo4j} gets PASSWORD at every start (via
 * {@code ALTER USER} on the {@code system} database, which the in-process API may run without
 * credentials). Prints {@code BROWSER http://127.0.0.1:HTTP_PORT/browser/} (when on), then {@code
 * READY bolt://127.0.0.1:PORT} once the default database is available; shuts down cleanly on
 * SIGTERM/SIGINT.
 */
public final class Neo4jLauncher {

    private Neo4jLauncher() {}

    private static String arg(String[] args, int i, String env, String dflt) {
        if (args.length > i && !args[i].isEmpty()) {
            return args[i];
        }
        String v = System.getenv(env);
        return (v != null && !v.isEmpty()) ? v : dflt;
    }

    private static void put(Map<String, String> cfg, Setting<?> setting, String value) {
        cfg.put(setting.name(), value);
    }

    /** The server's settings: loopback only, small transaction logs, no usage reports. */
    static Map<String, String> settings(Path home, int port, int httpPort, String pageCache) {
        Map<String, String> cfg = new HashMap<>();
        put(cfg, GraphDatabaseSettings.default_listen_address, "127.0.0.1");
        put(cfg, GraphDatabaseSettings.default_advertised_address, "127.0.0.1");
        put(cfg, GraphDatabaseSettings.pagecache_memory, pageCache);
        put(cfg, GraphDatabaseSettings.logs_directory, home.resolve("logs").toString());
        // Keep transaction logs small: 64 MiB files, keep 2 files of history beyond what recovery
        // needs, no preallocation. Pruning happens at checkpoints, so checkpoint every 5 min
        // (default 15 min) during long loads.
        put(cfg, GraphDatabaseSettings.logical_log_rotation_threshold, "64m");
        put(cfg, GraphDatabaseSettings.keep_logical_logs, "2 files");
        put(cfg, GraphDatabaseSettings.preallocate_logical_logs, "false");
        put(cfg, GraphDatabaseSettings.check_point_interval_time, Duration.ofMinutes(5).toSeconds() + "s");
        put(cfg, GraphDatabaseSettings.udc_enabled, "false");
        put(cfg, GraphDatabaseSettings.auth_enabled, "true");
        put(cfg, BoltConnector.enabled, "true");
        put(cfg, BoltConnector.listen_address, "127.0.0.1:" + port);
        put(cfg, BoltConnector.advertised_address, "127.0.0.1:" + port);
        put(cfg, HttpConnector.enabled, Boolean.toString(httpPort > 0));
        if (httpPort > 0) {
            put(cfg, HttpConnector.listen_address, "127.0.0.1:" + httpPort);
            put(cfg, HttpConnector.advertised_address, "127.0.0.1:" + httpPort);
        }
        put(cfg, HttpsConnector.enabled, "false");
        // Browser must not phone home (usage data): the machine has no network, pages work offline.
        cfg.put("client.allow_telemetry", "false");
        // Internal setting: Netty's graceful-shutdown quiet period (default 5 s, spent once per
        // Bolt event loop group) made every stop take ~10 s longer.
        put(cfg, GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, "0");
        return cfg;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(arg(args, 0, "SHANZHI_NEO4J_DIR", ".neo4j-local")).toAbsolutePath().normalize();
        int port = Integer.parseInt(arg(args, 1, "SHANZHI_NEO4J_PORT", "7687"));
        String password = arg(args, 2, "SHANZHI_NEO4J_PASSWORD", "shanzhi-test");
        String pageCache = arg(args, 3, "SHANZHI_NEO4J_PAGECACHE", "1g");
        int httpPort = Integer.parseInt(arg(args, 4, "SHANZHI_NEO4J_HTTP_PORT", "0"));
        if (password.length() < 8) {
            // dbms.security.auth_minimum_password_length defaults to 8.
            System.err.println("ERROR password must have at least 8 characters");
            System.exit(2);
        }
        Files.createDirectories(home);

        // The bootstrapper installs the SIGTERM/SIGINT handlers and the shutdown hook that stop
        // Neo4j cleanly, as the neo4j command does.
        CommunityBootstrapper bootstrapper = new CommunityBootstrapper();
        int status;
        try {
            status = bootstrapper.start(home, settings(home, port, httpPort, pageCache));
        } catch (Throwable t) {
            System.err.println("ERROR could not start Neo4j: " + t);
            t.printStackTrace();
            System.exit(1);
            return;
        }
        if (status != 0) {
            System.err.println("ERROR could not start Neo4j (status " + status + "); see logs/neo4j.log");
            System.exit(status);
        }

        try {
            DatabaseManagementService dbms = bootstrapper.getDatabaseManagementService();
            setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(120_000)) {
                throw new IllegalStateException("database 'neo4j' did not become available");
            }
        } catch (Throwable t) {
            System.err.println("ERROR " + t);
            t.printStackTrace();
            System.exit(1); // runs the shutdown hook
        }
        if (httpPort > 0) {
            System.out.println("BROWSER http://127.0.0.1:" + httpPort + "/browser/");
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        // Park the main thread; the bootstrapper's shutdown hook stops Neo4j on SIGTERM/SIGINT.
        new CountDownLatch(1).await();
    }

    private static void setPassword(GraphDatabaseService system, String password) {
        if (!system.isAvailable(120_000)) {
            throw new IllegalStateException("system database did not become available");
        }
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one already set; that is fine here.
            String msg = String.valueOf(e.getMessage()) + " " + String.valueOf(e.getCause());
            if (!msg.contains("cannot be the same")) {
                throw e;
            }
        }
    }
}
