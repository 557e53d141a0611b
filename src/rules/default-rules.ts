/**
 * The rules vigil runs when the config names no `rule_files`: the alerts a Docker host needs on day one. They use
 * only series vigil itself produces: its collector's cAdvisor and node_exporter families, scrape's `up`, and
 * vigil's own metrics (it scrapes itself).
 */
export const defaultRulesYaml = `groups:
  - name: vigil-default
    rules:
      - alert: TargetDown
        expr: up == 0
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: 'Target {{ $labels.instance }} of job {{ $labels.job }} is down'
          description: '{{ $labels.job }} target {{ $labels.instance }} has not answered scrapes for more than 5 minutes.'

      - alert: HostHighCpuUsage
        expr: 100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) > 90
        for: 15m
        labels:
          severity: warning
        annotations:
          summary: 'Host {{ $labels.instance }} CPU usage is high'
          description: 'CPU usage on {{ $labels.instance }} has been above 90% for 15 minutes (now {{ $value | printf "%.1f" }}%).'

      - alert: HostMemoryPressure
        expr: node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.1
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: 'Host {{ $labels.instance }} is low on memory'
          description: 'Only {{ $value | humanizePercentage }} of the memory of {{ $labels.instance }} is available.'

      - alert: HostDiskAlmostFull
        expr: |
          node_filesystem_avail_bytes{fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs"}
            / node_filesystem_size_bytes{fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs"} < 0.1
          and node_filesystem_readonly == 0
        for: 15m
        labels:
          severity: warning
        annotations:
          summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is almost full'
          description: 'Only {{ $value | humanizePercentage }} of {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} is free.'

      - alert: HostDiskWillFillIn24Hours
        expr: |
          predict_linear(node_filesystem_avail_bytes{fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs"}[6h], 24 * 3600) < 0
          and node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.4
          and node_filesystem_readonly == 0
        for: 1h
        labels:
          severity: warning
        annotations:
          summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} will be full within 24 hours'
          description: 'At the rate of the last 6 hours, {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} fills up within a day.'

      - alert: ContainerRestarting
        expr: changes(container_start_time_seconds{name!=""}[15m]) > 2
        labels:
          severity: warning
        annotations:
          summary: 'Container {{ $labels.name }} is restarting'
          description: 'Container {{ $labels.name }} ({{ $labels.image }}) started {{ $value }} times in the last 15 minutes.'

      - alert: ContainerOomKilled
        expr: increase(container_oom_events_total{name!=""}[10m]) > 0
        labels:
          severity: warning
        annotations:
          summary: 'Container {{ $labels.name }} ran out of memory'
          description: 'Container {{ $labels.name }} ({{ $labels.image }}) hit {{ $value | humanize }} out-of-memory events in the last 10 minutes.'

      - alert: ContainerNearMemoryLimit
        expr: |
          container_memory_working_set_bytes{name!=""}
            / (container_spec_memory_limit_bytes{name!=""} > 0) > 0.9
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: 'Container {{ $labels.name }} is near its memory limit'
          description: 'Container {{ $labels.name }} ({{ $labels.image }}) uses {{ $value | humanizePercentage }} of its memory limit.'

      - alert: VigilWalCorruption
        expr: increase(vigil_tsdb_wal_corruptions_total[1h]) > 0
        labels:
          severity: critical
        annotations:
          summary: 'vigil found a corrupted write-ahead log'
          description: 'vigil on {{ $labels.instance }} found {{ $value | humanize }} WAL corruptions in the last hour: samples may have been lost.'

      - alert: VigilNotificationsFailing
        expr: increase(vigil_notifications_failed_total[15m]) > 0
        for: 15m
        labels:
          severity: critical
        annotations:
          summary: 'vigil cannot deliver notifications through {{ $labels.channel }}'
          description: '{{ $value | humanize }} notifications through the {{ $labels.channel }} channel failed in the last 15 minutes.'
`;
