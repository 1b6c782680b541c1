import { awsEndpointArgument } from '../host/script-preamble';
import { OTLP_TLS_DIR, OTLP_TLS_FILES } from './otlp-sources';

/** Server certificates are renewed this long before they expire (at a boot, and by the daily renewal timer; see OTLP_CERTIFICATE_DAYS). */
export const OTLP_CERTIFICATE_RENEW_SECONDS = 60 * 86400;
/** 397 days: the longest validity TLS clients commonly accept for a server certificate. */
export const OTLP_CERTIFICATE_DAYS = 397;
/** The CA outlives many hosts on the same data volume; senders trust it, not the server certificate. */
export const OTLP_CA_DAYS = 3650;

const tlsPath = (file: string) => `"$ROOT${file}"`;

/**
 * bash functions of lgtm-secrets that give the host collector its OTLP server certificate without a secret ever
 * leaving the host: `ensure_otlp_tls PARAMETER CA_NAME` makes a private CA on the data volume the first time (its
 * key never leaves it), a P-256 server certificate naming the host's private address and DNS name (again when
 * they change, i.e. on a replacement host, or when it is due for renewal), and publishes the CA certificate, the
 * only public part, to the SSM String parameter PARAMETER when it differs. It sets OTLP_TLS_RENEWED=1 when it made a
 * new server certificate, so a caller between boots can restart the collector that loads it. LGTM_OTLP_TLS_NAMES
 * (`IP:10.0.0.5,DNS:ip-10-0-0-5.ec2.internal`), when set, replaces the names from the instance metadata (tests).
 */
export const OTLP_TLS_FUNCTIONS = `# The names the server certificate carries, as subjectAltName entries: the host's private address and DNS name
# from the instance metadata (IMDSv2), else (no metadata service) every global address of the host; and loopback.
otlp_tls_names() {
  if [[ -n "\${LGTM_OTLP_TLS_NAMES:-}" ]]; then
    printf '%s\\n' "$LGTM_OTLP_TLS_NAMES"
    return 0
  fi
  local token ip name names=""
  if token="$(curl -sf -m 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)" &&
    ip="$(curl -sf -m 2 -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/local-ipv4)"; then
    name="$(curl -sf -m 2 -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/local-hostname)" || name=""
    names="IP:$ip\${name:+,DNS:$name}"
  else
    names="$(hostname -I 2>/dev/null | tr ' ' '\\n' | sed -n '/./s/^/IP:/p' | paste -sd, - || true)"
  fi
  printf '%s\\n' "\${names:+$names,}IP:127.0.0.1"
}

OTLP_TLS_RENEWED=0
ensure_otlp_tls() {
  local parameter="$1" ca_name="$2" dir="$ROOT${OTLP_TLS_DIR}" names current
  names="$(otlp_tls_names)"
  mkdir -p "$dir"
  chmod 0700 "$dir"
  if [[ ! -s ${tlsPath(OTLP_TLS_FILES.caKey)} || ! -s ${tlsPath(OTLP_TLS_FILES.caCertificate)} ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days ${OTLP_CA_DAYS} -subj "/CN=$ca_name" \\
      -addext 'basicConstraints=critical,CA:TRUE,pathlen:0' -addext 'keyUsage=critical,keyCertSign,cRLSign' \\
      -keyout "$dir/.ca.key.new" -out "$dir/.ca.crt.new" 2>/dev/null
    mv -f "$dir/.ca.key.new" ${tlsPath(OTLP_TLS_FILES.caKey)}
    mv -f "$dir/.ca.crt.new" ${tlsPath(OTLP_TLS_FILES.caCertificate)}
    rm -f ${tlsPath(OTLP_TLS_FILES.certificate)}
    echo "lgtm-secrets: made the OTLP CA ($ca_name)"
  fi
  if [[ ! -s ${tlsPath(OTLP_TLS_FILES.certificate)} || "$(cat ${tlsPath(OTLP_TLS_FILES.names)} 2>/dev/null)" != "$names" ]] ||
    ! openssl x509 -checkend ${OTLP_CERTIFICATE_RENEW_SECONDS} -noout -in ${tlsPath(OTLP_TLS_FILES.certificate)} >/dev/null 2>&1; then
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=\${names%%,*}" \\
      -keyout "$dir/.server.key.new" -out "$dir/.server.csr" 2>/dev/null
    openssl x509 -req -in "$dir/.server.csr" -CA ${tlsPath(OTLP_TLS_FILES.caCertificate)} -CAkey ${tlsPath(OTLP_TLS_FILES.caKey)} \\
      -set_serial "0x$(openssl rand -hex 16)" -days ${OTLP_CERTIFICATE_DAYS} -out "$dir/.server.crt.new" 2>/dev/null \\
      -extfile <(printf 'subjectAltName=%s\\nextendedKeyUsage=serverAuth\\nbasicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n' "$names")
    rm -f "$dir/.server.csr"
    mv -f "$dir/.server.key.new" ${tlsPath(OTLP_TLS_FILES.key)}
    mv -f "$dir/.server.crt.new" ${tlsPath(OTLP_TLS_FILES.certificate)}
    printf '%s' "$names" >${tlsPath(OTLP_TLS_FILES.names)}
    OTLP_TLS_RENEWED=1
    echo "lgtm-secrets: OTLP server certificate for $names"
  fi
  chmod 0600 "$dir"/*
  current="$("$AWS" ssm get-parameter ${awsEndpointArgument('ssm')} --region "$AWS_REGION" --name "$parameter" --query Parameter.Value --output text 2>/dev/null)" || current=""
  if [[ "$current" != "$(cat ${tlsPath(OTLP_TLS_FILES.caCertificate)})" ]]; then
    # Not fatal: the host serves either way; senders cannot verify it (and refuse to send) until this succeeds.
    if "$AWS" ssm put-parameter ${awsEndpointArgument('ssm')} --region "$AWS_REGION" --name "$parameter" --type String --overwrite \\
        --value "file://$ROOT${OTLP_TLS_FILES.caCertificate}" >/dev/null; then
      echo "lgtm-secrets: published the OTLP CA certificate to $parameter"
    else
      echo "lgtm-secrets: cannot publish the OTLP CA certificate to $parameter; senders cannot verify the host until it is" >&2
    fi
  fi
}`;
