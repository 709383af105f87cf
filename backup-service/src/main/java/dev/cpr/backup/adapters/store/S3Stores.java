package dev.cpr.backup.adapters.store;

import dev.cpr.backup.config.BackupConfig;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the S3 artifact store from {@code cpr.backup.store.s3.*}. */
public final class S3Stores {

    private S3Stores() {
    }

    public static S3ArtifactStore create(BackupConfig.S3 config) {
        String bucket = config.bucket().filter(b -> !b.isBlank()).orElseThrow(() -> new IllegalStateException(
                "cpr.backup.store.type=s3 needs cpr.backup.store.s3.bucket (CPR_BACKUP_STORE_S3_BUCKET)"));
        if (config.accessKey().isPresent() != config.secretKey().isPresent()) {
            throw new IllegalStateException("cpr.backup.store.s3.access-key and .secret-key go together");
        }
        var builder = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofMinutes(2)))
                .credentialsProvider(config.accessKey().isPresent()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey().get(),
                                config.secretKey().get()))
                        : DefaultCredentialsProvider.create());
        config.endpoint().filter(e -> !e.isBlank()).ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return new S3ArtifactStore(builder.build(), bucket, config.prefix().orElse(""), config.partSize());
    }
}
