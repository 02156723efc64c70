/* secret: the key file, sealing and signing (see secret.h). */
#include "util/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"

static unsigned char master[crypto_secretbox_KEYBYTES];
static int loaded;

int secret_ready(void) { return loaded; }

void secret_set_key(const unsigned char key[32])
{
    memcpy(master, key, sizeof master);
    loaded = 1;
}

static int key_path(const char *db_target, char *out, size_t n)
{
    const char *env = getenv("RAPPORT_SECRET_KEY_FILE");
    if (env && *env)
        return snprintf(out, n, "%s", env) < (int)n ? 1 : 0;
    if (!db_target || !strncmp(db_target, "postgres://", 11) || !strncmp(db_target, "postgresql://", 13))
        return 0;
    return snprintf(out, n, "%s.key", db_target) < (int)n ? 1 : 0;
}

static int read_key(const char *path, err_t *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 1; /* none yet */
    if (fd < 0)
        return err_set(e, E_INVALID_VALUE, "secret_key", "cannot read %s: %s", path, strerror(errno));
    struct stat st;
    unsigned char buf[sizeof master + 1];
    ssize_t got = fstat(fd, &st) == 0 ? read(fd, buf, sizeof buf) : -1;
    close(fd);
    if (got != (ssize_t)sizeof master)
        return err_set(e, E_INVALID_VALUE, "secret_key", "%s is not a Rapport key file (32 bytes)", path);
    if (st.st_mode & 077)
        log_warn("%s can be read by others than its owner: chmod 600 it", path);
    secret_set_key(buf);
    sodium_memzero(buf, sizeof buf);
    return 0;
}

int secret_init(const char *db_target, err_t *e)
{
    char path[4096];
    if (!key_path(db_target, path, sizeof path))
        return 0;
    int rc = read_key(path, e);
    if (rc <= 0)
        return rc;
    /* first use: a new key, written whole before anyone can read it (O_EXCL: two processes starting at
     * once make one key, the loser reads the winner's) */
    unsigned char key[sizeof master];
    randombytes_buf(key, sizeof key);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            usleep(50 * 1000);
            return read_key(path, e) ? err_set(e, E_INVALID_VALUE, "secret_key", "%s vanished", path) : 0;
        }
        return err_set(e, E_INVALID_VALUE, "secret_key", "cannot create %s: %s", path, strerror(errno));
    }
    ssize_t put = write(fd, key, sizeof key);
    int synced = fsync(fd);
    close(fd);
    if (put != (ssize_t)sizeof key || synced < 0) {
        unlink(path);
        return err_set(e, E_INVALID_VALUE, "secret_key", "cannot write %s", path);
    }
    secret_set_key(key);
    sodium_memzero(key, sizeof key);
    return 0;
}

static int need_key(err_t *e)
{
    return loaded ? 0
                  : err_set(e, E_UNAVAILABLE, "secret_key",
                            "no secret key: set RAPPORT_SECRET_KEY_FILE to a file every server can read (it is "
                            "created if missing)");
}

char *secret_seal_dup(const char *plain, err_t *e)
{
    if (need_key(e) < 0)
        return NULL;
    size_t n = strlen(plain), boxed = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *raw = malloc(boxed);
    randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, raw, master);
    size_t out_len = sodium_base64_ENCODED_LEN(boxed, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(out_len);
    sodium_bin2base64(out, out_len, raw, boxed, sodium_base64_VARIANT_ORIGINAL);
    free(raw);
    return out;
}

char *secret_open_dup(const char *sealed, err_t *e)
{
    if (need_key(e) < 0)
        return NULL;
    size_t cap = strlen(sealed), n = 0;
    unsigned char *raw = malloc(cap + 1);
    if (sodium_base642bin(raw, cap, sealed, cap, NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        free(raw);
        err_set(e, E_INVALID_VALUE, "password", "a stored secret is damaged");
        return NULL;
    }
    size_t plain_len = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    char *plain = malloc(plain_len + 1);
    if (crypto_secretbox_open_easy((unsigned char *)plain, raw + crypto_secretbox_NONCEBYTES,
                                   n - crypto_secretbox_NONCEBYTES, raw, master) != 0) {
        free(raw);
        free(plain);
        err_set(e, E_INVALID_VALUE, "password", "a stored secret does not open with this server's key (was the key "
                                                "file replaced?)");
        return NULL;
    }
    plain[plain_len] = 0;
    free(raw);
    return plain;
}

static void subkey(const char *purpose, unsigned char out[crypto_auth_KEYBYTES])
{
    /* a key per purpose, so a signature made for one use is worthless for another */
    crypto_generichash(out, crypto_auth_KEYBYTES, (const unsigned char *)purpose, strlen(purpose), master,
                       sizeof master);
}

int secret_sign(const char *purpose, const char *msg, char out[SECRET_SIGNATURE_LEN], err_t *e)
{
    if (need_key(e) < 0)
        return E_UNAVAILABLE;
    unsigned char k[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
    subkey(purpose, k);
    crypto_auth(mac, (const unsigned char *)msg, strlen(msg), k);
    sodium_bin2base64(out, SECRET_SIGNATURE_LEN, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(k, sizeof k);
    return 0;
}

int secret_verify(const char *purpose, const char *msg, const char *sig)
{
    char want[SECRET_SIGNATURE_LEN];
    if (!loaded || !sig || strlen(sig) != SECRET_SIGNATURE_LEN - 1 || secret_sign(purpose, msg, want, NULL) < 0)
        return 0;
    return sodium_memcmp(want, sig, SECRET_SIGNATURE_LEN - 1) == 0;
}
