package shanzhi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Local development/test Neo4j server for shanzhi: an embedded Neo4j 5.26 Community
 * database management service with the Bolt connector listening on 127.0.0.1:PORT.
 *
 * <p>Usage: {@code Neo4jLauncher [DATA_DIR [PORT [PASSWORD [PAGECACHE]]]]}; any argument not
 * given is read from the environment ({@code SHANZHI_NEO4J_DIR}, {@code SHANZHI_NEO4J_PORT},
 * {@code SHANZHI_NEO4J_PASSWORD}, {@code SHANZHI_NEO4J_PAGECACHE}).
 *
 * <p>Everything (store, transaction logs, debug.log) lives under DATA_DIR, which is used as
 * the Neo4j home directory. Authentication is enabled; user {@code neo4j} gets PASSWORD at
 * every start (via {@code ALTER USER} on the {@code system} database, which the embedded API
 * may run without credentials). Prints {@code READY bolt://127.0.0.1:PORT} once the
 * default database is available and shuts down cleanly on SIGTERM/SIGINT.
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

    public static void main(String[] args) throws Exception {
        Path home = Path.of(arg(args, 0, "SHANZHI_NEO4J_DIR", ".neo4j-local")).toAbsolutePath().normalize();
        int port = Integer.parseInt(arg(args, 1, "SHANZHI_NEO4J_PORT", "7687"));
        String password = arg(args, 2, "SHANZHI_NEO4J_PASSWORD", "shanzhi-test");
        String pageCache = arg(args, 3, "SHANZHI_NEO4J_PAGECACHE", "1g");
        if (password.length() < 8) {
            // dbms.security.auth_minimum_password_length defaults to 8.
            System.err.println("ERROR password must have at least 8 characters");
            System.exit(2);
        }
        Files.createDirectories(home);

        // Registered before the DBMS is built so that a SIGTERM at any time is handled.
        AtomicReference<DatabaseManagementService> ref = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DatabaseManagementService service = ref.getAndSet(null);
            if (service == null) {
                return;
            }
            System.out.println("STOPPING");
            System.out.flush();
            try {
                service.shutdown();
            } catch (Throwable t) {
                t.printStackTrace();
            }
            System.out.println("STOPPED");
            System.out.flush();
        }, "neo4j-launcher-shutdown"));

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                    .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                    // Keep transaction logs small: 64 MiB files, keep 2 files of history beyond
                    // what recovery needs, no preallocation. Pruning happens at checkpoints, so
                    // checkpoint every 5 min (default 15 min) during long loads.
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.parse("64m"))
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.check_point_interval_time, Duration.ofMinutes(5))
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    // Internal setting: Netty's graceful-shutdown quiet period (default 5 s, spent
                    // once per Bolt event loop group) made every stop take ~10 s longer.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .build();
        } catch (Throwable t) {
            System.err.println("ERROR could not start Neo4j: " + t);
            t.printStackTrace();
            System.exit(1);
            return;
        }
        ref.set(dbms);

        try {
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
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        // Park the main thread; the shutdown hook stops Neo4j on SIGTERM/SIGINT.
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
