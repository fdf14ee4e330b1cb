; The setup program of MarketMeter (NSIS 3): installs the one-folder build dist\MarketMeter\ to
; Program Files\MarketMeter for every user of the PC. Built by `python installer/build.py
; --installer`, which runs
;   makensis -DVERSION=0.1.0 -DFILEVERSION=0.1.0.0 -DSRCDIR=dist\MarketMeter
;            -DOUTFILE=dist\MarketMeter-setup-0.1.0.exe installer\marketmeter.nsi
;
; The database, its backups, receipts and logs are NOT in the program folder: they live in the
; clerk's data folder %LOCALAPPDATA%\MarketMeter (app/models/db.py user_data_dir), which an
; upgrade never touches and the uninstaller removes only when asked (default: keep).

Unicode true
ManifestDPIAware true
!ifdef NOCOMPRESS
  ; tests only: the same setup without its slow LZMA pass (minutes for the whole program)
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif
RequestExecutionLevel admin

!ifndef VERSION
  !error "makensis -DVERSION=x.y.z (the version in pyproject.toml)"
!endif
!ifndef SRCDIR
  !error "makensis -DSRCDIR=folder (the one-folder build, dist\MarketMeter)"
!endif
!ifndef FILEVERSION
  !define FILEVERSION "${VERSION}.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "MarketMeter-setup-${VERSION}.exe"
!endif

!define PRODUCT "MarketMeter"
!define PUBLISHER "MarketMeter"
!define EXE "MarketMeter.exe"
; the program's name as its window title shows it in Chinese (resources/i18n/marketmeter_zh_CN.ts)
!define SHORTCUT "MarketMeter 市场预付费管理"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT}"
!define SETTINGS_KEY "Software\${PRODUCT}"
; The collection service at logon is a Scheduled Task, not a Windows service: a service runs as
; LocalSystem in session 0, where %LOCALAPPDATA% is the system profile's, so it would not find the
; clerk's database, backups and logs, and the USB-serial adapters of the meter lines are set up
; for the signed-in clerk. A task with an ONLOGON trigger runs as that clerk, in the clerk's
; session, and unlike a Startup-folder shortcut the setup can stop it by name before replacing
; the files it runs from (schtasks /End) and remove it cleanly.
!define TASK "MarketMeter Collection"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
BrandingText "${PRODUCT} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "Sections.nsh"
!include "x64.nsh"

; makensis works from this folder (it changes to the script's folder)
!define MUI_ABORTWARNING
!define MUI_ICON "../resources/marketmeter.ico"
!define MUI_UNICON "../resources/marketmeter.ico"
; the language chosen at install time is remembered for the uninstaller and the next upgrade
!define MUI_LANGDLL_REGISTRY_ROOT HKLM
!define MUI_LANGDLL_REGISTRY_KEY "${SETTINGS_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_LANGDLL_ALLLANGUAGES

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; the first language is the default: the clerks read Chinese
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString SecProgram ${LANG_SIMPCHINESE} "程序"
LangString SecProgram ${LANG_ENGLISH} "Program"
LangString SecStartMenu ${LANG_SIMPCHINESE} "开始菜单快捷方式"
LangString SecStartMenu ${LANG_ENGLISH} "Start menu shortcut"
LangString SecDesktop ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString SecCollection ${LANG_SIMPCHINESE} "登录时启动采集服务（仅连接表计线路的电脑）"
LangString SecCollection ${LANG_ENGLISH} "Start the collection service at logon (only the PC with the meter lines)"
LangString DescProgram ${LANG_SIMPCHINESE} "MarketMeter 程序文件。数据库、备份和日志保存在您的数据文件夹中，升级不会改动它们。"
LangString DescProgram ${LANG_ENGLISH} "The MarketMeter program files. The database, backups and logs stay in your data folder; upgrades do not touch them."
LangString DescStartMenu ${LANG_SIMPCHINESE} "在开始菜单中添加“${SHORTCUT}”。"
LangString DescStartMenu ${LANG_ENGLISH} "Adds “${SHORTCUT}” to the Start menu."
LangString DescDesktop ${LANG_SIMPCHINESE} "在桌面上添加“${SHORTCUT}”。"
LangString DescDesktop ${LANG_ENGLISH} "Adds “${SHORTCUT}” to the desktop."
LangString DescCollection ${LANG_SIMPCHINESE} "每次您登录 Windows 时，在后台启动采集服务（抄表、结算、通断控制）。只在连接表计线路（COM 口、串口服务器、4G 监听）的那台电脑上选择此项。"
LangString DescCollection ${LANG_ENGLISH} "Starts the collection service (meter reading, settlement, trip and close) in the background each time you sign in to Windows. Choose it only on the PC that holds the meter lines (COM ports, serial servers, 4G listener)."
LangString MsgNeeds64Bit ${LANG_SIMPCHINESE} "MarketMeter 需要 64 位 Windows。此电脑是 32 位系统，无法安装。请在 64 位 Windows 10 或更新版本的电脑上安装。"
LangString MsgNeeds64Bit ${LANG_ENGLISH} "MarketMeter needs 64-bit Windows. This PC runs a 32-bit Windows, so it cannot be installed here. Install it on a PC with 64-bit Windows 10 or newer."
LangString MsgRunning ${LANG_SIMPCHINESE} "MarketMeter 正在此电脑上运行。请先关闭所有 MarketMeter 窗口（采集服务已由安装程序停止），然后点“重试”；点“取消”退出，不做任何更改。"
LangString MsgRunning ${LANG_ENGLISH} "MarketMeter is running on this PC. Close every MarketMeter window (the setup has stopped the collection service), then press Retry; Cancel leaves everything as it was."
LangString MsgOldUninstallFailed ${LANG_SIMPCHINESE} "无法移除旧版本（$INSTDIR）。您的数据没有改动。请在“设置 → 应用”中卸载旧版本后，再运行此安装程序。"
LangString MsgOldUninstallFailed ${LANG_ENGLISH} "The earlier version in $INSTDIR could not be removed. Your data has not been changed. Uninstall it in Settings → Apps, then run this setup again."
LangString MsgTaskFailed ${LANG_SIMPCHINESE} "无法创建登录时启动采集服务的计划任务“${TASK}”。程序已安装；请在客户端中启动采集服务，或以管理员身份再次运行此安装程序。"
LangString MsgTaskFailed ${LANG_ENGLISH} "The scheduled task “${TASK}” that starts the collection service at logon could not be created. The program is installed; start the collection service from the client, or run this setup again as an administrator."
LangString MsgRemoveData ${LANG_SIMPCHINESE} "是否同时删除您的数据？$\r$\n$\r$\n$LOCALAPPDATA\${PRODUCT}$\r$\n$\r$\n其中有数据库（所有商户、充值和读数）、备份、收据和日志。删除后无法恢复。$\r$\n$\r$\n选“否”保留数据（推荐），以后重新安装时会继续使用。"
LangString MsgRemoveData ${LANG_ENGLISH} "Also delete your data?$\r$\n$\r$\n$LOCALAPPDATA\${PRODUCT}$\r$\n$\r$\nIt holds the database (every stall, recharge and reading), backups, receipts and logs. Deleted data cannot be recovered.$\r$\n$\r$\nChoose No to keep it (recommended); a later installation uses it again."

VIProductVersion "${FILEVERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${PRODUCT} setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"

; Stops the collection task and waits for every MarketMeter.exe of this PC to end (the files are
; replaced or removed next). Ending the task terminates the service: SQLite's journal keeps the
; database whole, and the clerk is asked to close the client windows.
!macro STOP_PROGRAM un
Function ${un}StopProgram
  nsExec::Exec 'schtasks /End /TN "${TASK}"'
  Pop $0
  ${Do}
    Sleep 500
    nsExec::Exec '"$SYSDIR\cmd.exe" /C tasklist /FI "IMAGENAME eq ${EXE}" /NH | "$SYSDIR\find.exe" /I "${EXE}"'
    Pop $0
    ${If} $0 != 0
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(MsgRunning)" /SD IDCANCEL IDRETRY retry
    Abort
    retry:
  ${Loop}
FunctionEnd
!macroend
!insertmacro STOP_PROGRAM ""
!insertmacro STOP_PROGRAM "un."

Function un.onInit
  SetRegView 64
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "!$(SecProgram)" SecProgramId
  SectionIn RO
  Call StopProgram
  ; Upgrade in place: the earlier version's own uninstaller removes its files, shortcuts and
  ; task silently, which keeps the data (its question defaults to No); `_?=` runs it from where
  ; it is, so ExecWait really waits for it.
  ${If} ${FileExists} "$INSTDIR\${UNINSTALLER}"
    DetailPrint "$INSTDIR\${UNINSTALLER} /S"
    ClearErrors
    ExecWait '"$INSTDIR\${UNINSTALLER}" /S _?=$INSTDIR' $0
    ${If} ${Errors}
    ${OrIf} $0 != 0
      MessageBox MB_OK|MB_ICONSTOP "$(MsgOldUninstallFailed)" /SD IDOK
      Abort
    ${EndIf}
    Delete "$INSTDIR\${UNINSTALLER}"
  ${EndIf}

  SetOutPath "$INSTDIR"
  SetOverwrite on
  File /r "${SRCDIR}/*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  WriteRegStr HKLM "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${SHORTCUT}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecStartMenu)" SecStartMenuId
  SetShellVarContext all
  CreateShortcut "$SMPROGRAMS\${SHORTCUT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
SectionEnd

Section "$(SecDesktop)" SecDesktopId
  SetShellVarContext all
  CreateShortcut "$DESKTOP\${SHORTCUT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
SectionEnd

; Off unless chosen (or the earlier installation had it): one PC of the office reads the meters.
Section /o "$(SecCollection)" SecCollectionId
  ; the clerk who runs the setup; /IT: only while signed in, so no password is stored
  ReadEnvStr $1 "USERDOMAIN"
  ReadEnvStr $2 "USERNAME"
  nsExec::ExecToLog 'schtasks /Create /F /TN "${TASK}" /SC ONLOGON /RL LIMITED /IT /RU "$1\$2" /TR "\"$INSTDIR\${EXE}\" service"'
  Pop $0
  ${If} $0 != 0
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(MsgTaskFailed)" /SD IDOK
  ${Else}
    ; running now too, so the meters are read without signing out and in again
    nsExec::ExecToLog 'schtasks /Run /TN "${TASK}"'
    Pop $0
  ${EndIf}
SectionEnd

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(MsgNeeds64Bit)" /SD IDOK
    Abort
  ${EndIf}
  ; the keys are written in the 64-bit view (the program is 64-bit); InstallDirRegKey would read
  ; the 32-bit one, so an upgrade finds the earlier folder here
  SetRegView 64
  ReadRegStr $0 HKLM "${SETTINGS_KEY}" "InstallDir"
  ${If} $0 != ""
    StrCpy $INSTDIR $0
  ${EndIf}
  !insertmacro MUI_LANGDLL_DISPLAY
  ; an upgrade keeps the choice of the earlier installation: the collection task where it ran
  nsExec::Exec 'schtasks /Query /TN "${TASK}"'
  Pop $0
  ${If} $0 == 0
    !insertmacro SelectSection ${SecCollectionId}
  ${EndIf}
FunctionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgramId} "$(DescProgram)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStartMenuId} "$(DescStartMenu)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktopId} "$(DescDesktop)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecCollectionId} "$(DescCollection)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  Call un.StopProgram
  nsExec::Exec 'schtasks /Delete /F /TN "${TASK}"'
  Pop $0

  SetShellVarContext all
  Delete "$SMPROGRAMS\${SHORTCUT}.lnk"
  Delete "$DESKTOP\${SHORTCUT}.lnk"

  ; only what the setup put there: never the whole folder, which a clerk may have chosen badly
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\MarketMeter-cli.exe"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"

  DeleteRegKey HKLM "${UNINST_KEY}"
  DeleteRegValue HKLM "${SETTINGS_KEY}" "InstallDir"

  ; The clerk's data: kept unless the clerk says otherwise (a silent uninstall, as an upgrade
  ; runs it, always keeps it).
  SetShellVarContext current
  ${If} ${FileExists} "$LOCALAPPDATA\${PRODUCT}\*.*"
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(MsgRemoveData)" /SD IDNO IDNO keep
    RMDir /r "$LOCALAPPDATA\${PRODUCT}"
    keep:
  ${EndIf}
  ${If} ${Silent}
    ; an upgrade: the new version writes its own settings
  ${Else}
    DeleteRegKey HKLM "${SETTINGS_KEY}"
  ${EndIf}
SectionEnd
