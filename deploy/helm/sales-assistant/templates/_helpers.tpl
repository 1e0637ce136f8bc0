{{- define "assistant.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "assistant.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: api, worker, gpu-worker. */}}
{{- define "assistant.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The settings every container shares: non-secret ones from the ConfigMap, secrets by reference. */}}
{{- define "assistant.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "assistant.fullname" . }}
  {{- range .Values.envFromSecrets }}
  - secretRef:
      name: {{ . }}
  {{- end }}
env:
  - name: ASSISTANT_DATABASE_URL
    valueFrom:
      secretKeyRef:
        name: {{ .Values.database.secretName }}
        key: {{ .Values.database.secretKey }}
  - name: ASSISTANT_QDRANT_API_KEY
    valueFrom:
      secretKeyRef:
        name: {{ .Values.qdrant.apiKeySecretName }}
        key: {{ .Values.qdrant.apiKeySecretKey }}
{{- end -}}

{{- define "assistant.securityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: [ALL]
{{- end -}}

{{/* Writable places on a read-only root: the data dir and /tmp; the knowledge folder when given. */}}
{{- define "assistant.volumeMounts" -}}
volumeMounts:
  - name: data
    mountPath: /var/lib/assistant
  - name: tmp
    mountPath: /tmp
  {{- if .Values.knowledge.existingClaim }}
  - name: knowledge
    mountPath: /srv/knowledge
    readOnly: true
  {{- end }}
{{- end -}}

{{- define "assistant.volumes" -}}
volumes:
  - name: data
    emptyDir: {}
  - name: tmp
    emptyDir: {}
  {{- if .Values.knowledge.existingClaim }}
  - name: knowledge
    persistentVolumeClaim:
      claimName: {{ .Values.knowledge.existingClaim }}
      readOnly: true
  {{- end }}
{{- end -}}

{{- define "assistant.scheduling" -}}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The worker's probes: `assistant worker --check` exits 0 when the database and the index answer. */}}
{{- define "assistant.workerProbes" -}}
livenessProbe:
  exec:
    command: [assistant, worker, --check]
  initialDelaySeconds: 30
  periodSeconds: 60
  timeoutSeconds: 30
  failureThreshold: 3
readinessProbe:
  exec:
    command: [assistant, worker, --check]
  periodSeconds: 30
  timeoutSeconds: 30
  failureThreshold: 2
{{- end -}}
