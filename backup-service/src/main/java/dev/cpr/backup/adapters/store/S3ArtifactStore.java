package dev.cpr.backup.adapters.store;

import dev.cpr.backup.domain.snapshot.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Artifacts as objects in an S3-compatible store: location {@code <cluster>/<file>} is the key
 * {@code <prefix><cluster>/<file>} in one bucket.
 * <ul>
 *   <li>writing is a multipart upload fed from one reused part buffer ({@code partSize}, 5 MiB at least): memory stays
 *       flat whatever the snapshot's size, and the object appears under its key only when {@link PendingArtifact#commit()}
 *       completes the upload; a discarded one is aborted, leaving nothing (the same contract as the local store's
 *       rename);</li>
 *   <li>reading streams the object's body;</li>
 *   <li>no local path: downloads stream from {@link #open(String)}.</li>
 * </ul>
 */
public final class S3ArtifactStore implements ArtifactStore {

    private static final Logger LOG = Logger.getLogger(S3ArtifactStore.class);
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int partSize;

    public S3ArtifactStore(S3Client s3, String bucket, String prefix, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("the part size must be at least 5 MiB (S3's minimum), not " + partSize);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isEmpty() || prefix.endsWith("/") ? (prefix == null ? "" : prefix) : prefix + "/";
        this.partSize = partSize;
    }

    @Override
    public PendingArtifact begin(String clusterId, String fileName) throws IOException {
        String location = checked(clusterId) + "/" + checked(fileName);
        return new MultipartUpload(location);
    }

    @Override
    public InputStream open(String location) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key(location)));
        } catch (NoSuchKeyException e) {
            throw new java.nio.file.NoSuchFileException("s3://" + bucket + "/" + key(location));
        } catch (SdkException e) {
            throw new IOException("cannot read s3://" + bucket + "/" + key(location) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(String location) throws IOException {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key(location))).contentLength();
        } catch (NoSuchKeyException e) {
            throw new java.nio.file.NoSuchFileException("s3://" + bucket + "/" + key(location));
        } catch (SdkException e) {
            throw new IOException("cannot stat s3://" + bucket + "/" + key(location) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String location) throws IOException {
        String key = key(location);
        try {
            try {
                s3.headObject(b -> b.bucket(bucket).key(key));
            } catch (NoSuchKeyException e) {
                return false;
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                return false;
            }
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (SdkException e) {
            throw new IOException("cannot delete s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Path> localPath(String location) {
        return Optional.empty();
    }

    @Override
    public List<String> list(String clusterId) throws IOException {
        String dir = prefix + checked(clusterId) + "/";
        List<String> locations = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dir)).contents()) {
                locations.add(object.key().substring(prefix.length()));
            }
        } catch (SdkException e) {
            throw new IOException("cannot list s3://" + bucket + "/" + dir + ": " + e.getMessage(), e);
        }
        return locations.stream().sorted().toList();
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    private String key(String location) {
        for (String part : location.split("/")) {
            checked(part);
        }
        return prefix + location;
    }

    private static String checked(String segment) {
        if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("/")) {
            throw new IllegalArgumentException("location segment '" + segment + "' is outside the artifact store");
        }
        return segment;
    }

    /** One multipart upload; parts are sent as the buffer fills, so at most one part is ever in memory. */
    private final class MultipartUpload implements PendingArtifact {
        private final String location;
        private final String key;
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;
        private PartStream output;
        private boolean committed;
        private boolean aborted;

        MultipartUpload(String location) {
            this.location = location;
            this.key = prefix + location;
        }

        @Override
        public OutputStream output() throws IOException {
            if (output == null) {
                try {
                    uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
                } catch (SdkException e) {
                    throw new IOException("cannot start an upload to s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
                }
                output = new PartStream();
            }
            return output;
        }

        void sendPart(byte[] buffer, int length) throws IOException {
            int number = parts.size() + 1;
            try {
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) length), RequestBody.fromInputStream(
                                new java.io.ByteArrayInputStream(buffer, 0, length), length)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            } catch (SdkException e) {
                throw new IOException("part " + number + " of s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public String commit() throws IOException {
            if (output == null) {
                throw new IOException("nothing was written to s3://" + bucket + "/" + key);
            }
            output.sendRest();
            try {
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            } catch (SdkException e) {
                throw new IOException("cannot complete s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
            }
            committed = true;
            return location;
        }

        @Override
        public void discard() {
            if (committed || aborted || uploadId == null) {
                return;
            }
            aborted = true;
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException e) {
                LOG.errorf("could not abort the upload of s3://%s/%s (the bucket's lifecycle rule must clean it up): %s",
                        bucket, key, e.getMessage());
            }
        }

        /** Fills the one part buffer; a full buffer is uploaded as the next part. close() keeps the rest for commit. */
        private final class PartStream extends OutputStream {
            private final byte[] buffer = new byte[partSize];
            private int filled;
            private boolean sent;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (sent) {
                    throw new IOException("the upload of s3://" + bucket + "/" + key + " is already complete");
                }
                while (len > 0) {
                    int n = Math.min(len, buffer.length - filled);
                    System.arraycopy(b, off, buffer, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                    if (filled == buffer.length) {
                        sendPart(buffer, filled);
                        filled = 0;
                    }
                }
            }

            /** The last (possibly short) part; S3 needs at least one. */
            void sendRest() throws IOException {
                if (!sent && (filled > 0 || parts.isEmpty())) {
                    sendPart(buffer, filled);
                    filled = 0;
                }
                sent = true;
            }
        }
    }
}
