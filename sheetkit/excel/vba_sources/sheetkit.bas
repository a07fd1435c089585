Attribute VB_Name = "sheetkit"
' sheetkit: the buttons of the plan and district workbooks.
'
' Each button runs one Python function of sheetkit.excel through xlwings (the
' xlwings module in this project). Everything the buttons do lives in Python;
' this module only checks that Python can be started and shows messages.
' VBA sources stay ASCII, so Vietnamese text is written as \uXXXX escapes and
' decoded by Vn(). To write a new message:
'   python -c "from sheetkit.excel.vba import vn_escape; print(vn_escape('...'))"
Option Explicit

' The cell (a workbook-level name) that holds the folder of school plans.
Public Const FOLDER_NAME As String = "ThuMucKeHoach"
Private Const ICON_ERROR As Long = 16
Private Const ICON_WARNING As Long = 48
Private Const ICON_INFO As Long = 64

Public Sub CheckPlan()
    If SetupReady(False) Then RunPython "import sheetkit.excel; sheetkit.excel.check()"
End Sub

Public Sub RenderPlan()
    If SetupReady(False) Then RunPython "import sheetkit.excel; sheetkit.excel.render()"
End Sub

Public Sub ReviewPlan()
    If SetupReady(False) Then RunPython "import sheetkit.excel; sheetkit.excel.review()"
End Sub

Public Sub MergeFolder()
    If SetupReady(False) Then RunPython "import sheetkit.excel; sheetkit.excel.merge()"
End Sub

Public Sub CheckSetup()
    If SetupReady(True) Then RunPython "import sheetkit.excel; sheetkit.excel.doctor()"
End Sub

Public Sub ChooseFolder()
    ' Let the district officer pick the folder of school plans into the FOLDER_NAME cell.
    Dim target As Range
    Dim chosen As String
    Set target = ThisWorkbook.Names(FOLDER_NAME).RefersToRange
    On Error GoTo NoDialog
    With Application.FileDialog(4)
        .Title = Vn("Ch\u1ecdn th\u01b0 m\u1ee5c ch\u1ee9a k\u1ebf ho\u1ea1ch c\u1ee7a c\u00e1c tr\u01b0\u1eddng")
        .AllowMultiSelect = False
        If .Show <> -1 Then Exit Sub
        chosen = .SelectedItems(1)
    End With
    On Error GoTo 0
    target.NumberFormat = "@"
    target.Value = chosen
    Exit Sub
NoDialog:
    On Error GoTo 0
    target.Worksheet.Activate
    target.Select
    ShowMessage Vn("Kh\u00f4ng m\u1edf \u0111\u01b0\u1ee3c h\u1ed9p ch\u1ecdn th\u01b0 m\u1ee5c tr\u00ean m\u00e1y n\u00e0y. H\u00e3y g\u00f5 ho\u1eb7c d\u00e1n \u0111\u01b0\u1eddng d\u1eabn th\u01b0 m\u1ee5c v\u00e0o \u00f4 \u0111ang ch\u1ecdn, r\u1ed3i b\u1ea5m T\u1ed5ng h\u1ee3p."), ICON_INFO
End Sub

Private Function SetupReady(ByVal probe As Boolean) As Boolean
    ' True when Python can be started for this workbook; otherwise say what to do.
    Dim interpreter As String
    Dim missing As Boolean
    #If Mac Then
        interpreter = GetConfig("INTERPRETER_MAC", "")
    #Else
        interpreter = GetConfig("INTERPRETER_WIN", "")
    #End If
    If Not IsAscii(ThisWorkbook.Name) Then
        ShowMessage Vn("T\u00ean t\u1ec7p """) & ThisWorkbook.Name & Vn(""" c\u00f3 ch\u1eef c\u00f3 d\u1ea5u ho\u1eb7c k\u00fd t\u1ef1 \u0111\u1eb7c bi\u1ec7t, n\u00ean Python kh\u00f4ng t\u00ecm \u0111\u01b0\u1ee3c t\u1ec7p n\u00e0y.") _
            & vbLf & vbLf & Vn("H\u00e3y d\u00f9ng L\u01b0u th\u00e0nh (Save As) v\u1edbi t\u00ean kh\u00f4ng d\u1ea5u, v\u00ed d\u1ee5 ke-hoach-truong-a.xlsm, r\u1ed3i b\u1ea5m l\u1ea1i n\u00fat."), ICON_WARNING
        Exit Function
    End If
    missing = (interpreter = "")
    #If Mac Then
        ' Excel's sandbox hides the interpreter from Dir(): xlwings reports it there.
    #Else
        If Not missing Then missing = Not FileExists(interpreter)
    #End If
    If missing Then
        ShowMessage Vn("Ch\u01b0a t\u00ecm th\u1ea5y Python t\u1ea1i:") & vbLf & interpreter & vbLf & vbLf _
            & Vn("H\u00e3y c\u00e0i Python v\u00e0 sheetkit theo m\u1ee5c N\u00fat b\u1ea5m trong Excel c\u1ee7a h\u01b0\u1edbng d\u1eabn s\u1eed d\u1ee5ng sheetkit (README), ho\u1eb7c s\u1eeda \u0111\u01b0\u1eddng d\u1eabn Interpreter \u1edf trang \u1ea9n xlwings.conf."), ICON_ERROR
        Exit Function
    End If
    #If Mac Then
    #Else
        If probe Then
            ' Start Python once, hidden: does it have sheetkit and xlwings?
            If WScript.Run("""" & interpreter & """ -c ""import sheetkit.excel, xlwings""", 0, True) <> 0 Then
                ShowMessage Vn("\u0110\u00e3 c\u00f3 Python t\u1ea1i:") & vbLf & interpreter & vbLf & vbLf _
                    & Vn("nh\u01b0ng ch\u01b0a c\u00e0i sheetkit ho\u1eb7c xlwings. M\u1edf Command Prompt v\u00e0 ch\u1ea1y:") & vbLf & vbLf _
                    & """" & ParentFolder(interpreter) & "\python.exe"" -m pip install ""sheetkit[excel]""", ICON_ERROR
                Exit Function
            End If
        End If
    #End If
    SetupReady = True
End Function

Public Sub ShowMessage(ByVal text As String, Optional ByVal icon As Long = ICON_INFO)
    ' MsgBox cannot show Vietnamese on Windows; WScript.Shell's Popup can.
    #If Mac Then
        MsgBox text, icon, "sheetkit"
    #Else
        WScript.Popup text, 0, "sheetkit", icon
    #End If
End Sub

Public Function Vn(ByVal escaped As String) As String
    ' "Ki\u1ec3m tra" -> the Vietnamese text (each \uXXXX is one UTF-16 code unit).
    Dim i As Long
    Dim out As String
    i = 1
    Do While i <= Len(escaped)
        If Mid$(escaped, i, 2) = "\u" And i + 5 <= Len(escaped) Then
            out = out & ChrW(CLng("&H" & Mid$(escaped, i + 2, 4) & "&"))
            i = i + 6
        Else
            out = out & Mid$(escaped, i, 1)
            i = i + 1
        End If
    Loop
    Vn = out
End Function

Private Function IsAscii(ByVal text As String) As Boolean
    Dim i As Long
    For i = 1 To Len(text)
        If AscW(Mid$(text, i, 1)) > 126 Or AscW(Mid$(text, i, 1)) < 32 Then Exit Function
    Next i
    IsAscii = True
End Function
