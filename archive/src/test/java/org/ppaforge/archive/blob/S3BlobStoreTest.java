package org.ppaforge.archive.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.ppaforge.archive.store.BlobStore;
import org.ppaforge.archive.testing.TestS3;

/** The blob store contract on a real S3 API (s3proxy), a bucket per test. */
class S3BlobStoreTest extends BlobStoreContract {
    @Override
    BlobStore store() {
        S3Location bucket = S3Location.parse(TestS3.freshBucket()); // first: it points the AWS settings at s3proxy
        return new S3BlobStore(S3BlobStore.client(), bucket, work.resolve("cache"));
    }

    @Test
    void aBucketThatDoesNotExistFailsTheCheckAndNamesTheBucket() {
        TestS3.server();
        BlobStore s = new S3BlobStore(S3BlobStore.client(), S3Location.parse("s3://no-such-bucket/x"), work);
        assertThatThrownBy(s::check).isInstanceOf(IOException.class).hasMessageContaining("s3://no-such-bucket/x");
    }

    @Test
    void locationsAreCheckedBeforeUse() {
        assertThat(S3Location.parse("s3://my-bucket/a/b/").key("sha256/x")).isEqualTo("a/b/sha256/x");
        assertThat(S3Location.parse("s3://my-bucket").key("x")).isEqualTo("x");
        for (String bad :
                new String[] {"s3://UPPER/x", "s3://a/x", "s3://ok-bucket/../x", "http://b/x", "s3://b_b/x"}) {
            assertThatThrownBy(() -> S3Location.parse(bad)).hasMessageContaining("bad blob store");
        }
    }
}
