package org.ppaforge.archive.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.ppaforge.archive.blob.S3BlobStore;

/**
 * A real S3 API for the tests: s3proxy on its filesystem back end, on 127.0.0.1, once per test JVM, with SigV4
 * credentials. The test JVM's AWS settings point at it (the {@code aws.*} system properties, which the AWS SDK and
 * {@link S3BlobStore#client()} read when the AWS variables are not set); processes started by a test get
 * {@link #environment()}. Each test takes a bucket of its own from {@link #freshBucket()}.
 */
public final class TestS3 {
    public static final String ACCESS_KEY = "ppaforge-test";
    public static final String SECRET_KEY = "ppaforge-test-secret";
    private static TestS3 server;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3Proxy proxy;
    private final URI endpoint;

    private TestS3(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static synchronized TestS3 server() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    /** A new, empty bucket, as {@code s3://bucket/prefix} for {@code --blobs}. */
    public static String freshBucket() {
        TestS3 s = server();
        String bucket = "t" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        try (var client = S3BlobStore.client()) {
            client.createBucket(r -> r.bucket(bucket));
        }
        return "s3://" + bucket + "/ppaforge";
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The AWS variables of a process that should reach this server. */
    public Map<String, String> environment() {
        return Map.of(
                "AWS_ENDPOINT_URL",
                endpoint.toString(),
                "AWS_REGION",
                "us-east-1",
                "AWS_ACCESS_KEY_ID",
                ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                SECRET_KEY);
    }

    private static TestS3 start() {
        try {
            Path dir = Files.createTempDirectory("ppaforge-s3-");
            Properties p = new Properties();
            p.setProperty("jclouds.filesystem.basedir", dir.toString());
            BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                    .credentials("identity", "credential")
                    .overrides(p)
                    .build(BlobStoreContext.class);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            proxy.start();
            for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
                Thread.sleep(50);
            }
            URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
            System.setProperty("aws.endpointUrl", endpoint.toString());
            System.setProperty("aws.region", "us-east-1");
            System.setProperty("aws.accessKeyId", ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", SECRET_KEY);
            TestS3 s = new TestS3(proxy, endpoint);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    proxy.stop();
                } catch (Exception e) {
                    // the JVM is ending
                }
            }));
            return s;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start s3proxy for the tests: " + e.getMessage(), e);
        }
    }
}
