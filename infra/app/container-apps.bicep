// Container Apps environment with the serverless GPU workload profile the worker runs on. Logs go through Azure
// Monitor diagnostic settings, so no Log Analytics shared key is handed to the environment.
param location string
param tags object
param environmentName string
param logAnalyticsWorkspaceId string

@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuWorkloadProfileType string

var gpuWorkloadProfileName = gpuWorkloadProfileType == 'Consumption-GPU-NC24-A100' ? 'gpu-a100' : 'gpu-t4'

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuWorkloadProfileName
        workloadProfileType: gpuWorkloadProfileType
      }
    ]
  }
}

resource logsToWorkspace 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-workspace'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

output id string = environment.id
output name string = environment.name
output gpuWorkloadProfileName string = gpuWorkloadProfileName
