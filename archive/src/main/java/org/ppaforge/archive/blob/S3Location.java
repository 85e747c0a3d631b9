package org.ppaforge.archive.blob;

import java.net.URI;
import org.ppaforge.archive.ArchiveException;

/**
 * Where blobs go in S3-compatible storage: {@code s3://bucket/prefix}. The endpoint, region and credentials come
 * from the environment as every AWS tool reads them ({@code AWS_ENDPOINT_URL}, {@code AWS_REGION},
 * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}), so the same URI works against AWS, MinIO, Ceph RGW,
 * Swift's S3 API and s3proxy.
 *
 * @param prefix the key prefix without a trailing slash ("" for the bucket's root)
 */
public record S3Location(String bucket, String prefix) {
    public static boolean isS3(String uri) {
        return uri != null && uri.startsWith("s3://");
    }

    public static S3Location parse(String uri) {
        if (!isS3(uri)) {
            throw ArchiveException.invalid("bad blob store " + uri + ": give s3://bucket/prefix");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        // S3's bucket naming rules (3-63 lower-case letters, digits, dots and hyphens).
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw ArchiveException.invalid("bad blob store " + uri + ": '" + bucket + "' is not a bucket name "
                    + "(3 to 63 lower-case letters, digits, dots and hyphens)");
        }
        if (prefix.contains("//") || prefix.startsWith("/") || prefix.contains("..") || prefix.contains("\\")) {
            throw ArchiveException.invalid(
                    "bad blob store " + uri + ": the prefix '" + prefix + "' is not a plain path");
        }
        URI.create("s3://" + bucket + "/" + prefix); // refuses characters a URI may not hold
        return new S3Location(bucket, prefix);
    }

    /** The object key of {@code path} under the prefix. */
    public String key(String path) {
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
