package dev.cpr.contracts.approval;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Ed25519 signatures over {@link ApprovalDecided#signedBytes()}, with the JDK's own provider. The notifier holds the
 * private key (base64 PKCS#8) and signs what Slack's verified click gave it; restore-service holds only public keys
 * (base64 X.509) and verifies. Keys travel as base64 DER so they fit in one environment variable.
 */
public final class ApprovalSignatures {

    private static final String ALGORITHM = "Ed25519";

    private ApprovalSignatures() {
    }

    /** A new key pair (the sandbox makes one per world; production makes one with {@code openssl genpkey}). */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    public static String encode(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** @throws IllegalArgumentException saying the text is not a base64 PKCS#8 Ed25519 private key */
    public static PrivateKey privateKey(String base64Pkcs8) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(decode(base64Pkcs8)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 PKCS#8 Ed25519 private key: " + e.getMessage());
        }
    }

    /** @throws IllegalArgumentException saying the text is not a base64 X.509 Ed25519 public key */
    public static PublicKey publicKey(String base64X509) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(decode(base64X509)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 X.509 Ed25519 public key: " + e.getMessage());
        }
    }

    /** The decision, signed with {@code key}. */
    public static ApprovalDecided sign(ApprovalDecided decided, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(decided.signedBytes());
            return decided.signed(Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign approval " + decided.approvalId(), e);
        }
    }

    /** Whether one of {@code trusted} made the decision's signature over its own bytes (false when unsigned). */
    public static boolean verify(ApprovalDecided decided, List<PublicKey> trusted) {
        if (decided.signature() == null || decided.signature().isBlank()) {
            return false;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(decided.signature().strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (PublicKey key : trusted) {
            try {
                Signature verifier = Signature.getInstance(ALGORITHM);
                verifier.initVerify(key);
                verifier.update(decided.signedBytes());
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature is simply not a valid one
            }
        }
        return false;
    }

    private static byte[] decode(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("empty");
        }
        return Base64.getDecoder().decode(base64.strip());
    }
}
