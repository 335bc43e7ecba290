import { UN_LANGUAGES } from '@app/domain';
/**
 * E-mail texts in the six UN languages, as i18next resources. Each kind has a subject and a body;
 * {{reference}} and the other values are interpolated (escaped in the HTML part).
 */
type Texts = Record<string, string | Record<string, string>>;

const en: Texts = {
  'request_received.subject': 'New assistance request {{reference}}',
  'request_received.body': 'Technical assistance request {{reference}} has been received and awaits CTED review.',
  'information_requested.subject': 'Information requested on {{reference}}',
  'information_requested.body':
    'CTED has asked {{questions}} question(s) about request {{reference}}. Please answer them in CTAP.',
  'information_provided.subject': 'Information provided on {{reference}}',
  'information_provided.body': 'The State has answered the questions on request {{reference}}. The review can resume.',
  'plan_proposed.subject': 'Work plan proposed for {{reference}}',
  'plan_proposed.body':
    'UNODC has proposed a work plan ({{activities}} activities) for request {{reference}}. Please agree to it or ask for a revision.',
  'plan_responded.subject': 'The State responded to the work plan of {{reference}}',
  'plan_responded.body':
    'The State has responded to work plan version {{planVersion}} of request {{reference}}: {{response}}.',
  'plan_approved.subject': 'Work plan approved for {{reference}}',
  'plan_approved.body': 'The work plan of request {{reference}} has been approved.',
  'activity_rescheduled.subject': 'Activity rescheduled: {{reference}}',
  'activity_rescheduled.body':
    'An activity of request {{reference}} has been rescheduled: {{startDate}} to {{endDate}}.',
  'activity_cancelled.subject': 'Activity cancelled: {{reference}}',
  'activity_cancelled.body': 'An activity of request {{reference}} has been cancelled.',
  'evaluation_due.subject': 'Evaluation questionnaire for {{reference}}',
  'evaluation_due.body':
    'The assistance under request {{reference}} has been delivered. Please complete the evaluation questionnaire.',
  'reminder.subject': 'Reminder {{reminder}}: {{reference}} awaits your action',
  'reminder.body': 'Request {{reference}} is waiting for your action. This is reminder {{reminder}}.',
  'overdue.subject': 'Overdue: {{reference}}',
  'overdue.body': 'Request {{reference}} is overdue in stage {{stage}}.',
  'escalation.subject': 'Escalation: {{reference}}',
  'escalation.body': 'Request {{reference}} has been escalated: it is long overdue in stage {{stage}}.',
  'request_closed.subject': 'Request {{reference}} closed',
  'request_closed.body': 'Request {{reference}} has been closed (outcome: {{outcome}}).',
  'assigned_to_you.subject': 'Assigned to you: {{reference}}',
  'assigned_to_you.body': 'Request {{reference}} has been assigned to you. You now hold it for your organisation.',
  open: 'Open the request',
  digest: 'CTAP daily digest: {{count}} notification(s)',
  footer: 'You receive this message from CTAP because of your role. You can change how you are notified in CTAP.',
  // Subject of a notification about an urgent request (the whole subject, so word order stays the language's own).
  urgent: 'URGENT: {{subject}}',
};

const fr: Texts = {
  'request_received.subject': "Nouvelle demande d'assistance {{reference}}",
  'request_received.body': "La demande d'assistance technique {{reference}} a été reçue et attend l'examen de la DECT.",
  'information_requested.subject': 'Informations demandées sur {{reference}}',
  'information_requested.body':
    'La DECT a posé {{questions}} question(s) sur la demande {{reference}}. Veuillez y répondre dans CTAP.',
  'information_provided.subject': 'Informations fournies sur {{reference}}',
  'information_provided.body': "L'État a répondu aux questions sur la demande {{reference}}. L'examen peut reprendre.",
  'plan_proposed.subject': 'Plan de travail proposé pour {{reference}}',
  'plan_proposed.body':
    "L'ONUDC a proposé un plan de travail ({{activities}} activités) pour la demande {{reference}}. Veuillez l'accepter ou demander une révision.",
  'plan_responded.subject': "L'État a répondu au plan de travail de {{reference}}",
  'plan_responded.body':
    "L'État a répondu à la version {{planVersion}} du plan de travail de la demande {{reference}} : {{response}}.",
  'plan_approved.subject': 'Plan de travail approuvé pour {{reference}}',
  'plan_approved.body': 'Le plan de travail de la demande {{reference}} a été approuvé.',
  'activity_rescheduled.subject': 'Activité reprogrammée : {{reference}}',
  'activity_rescheduled.body':
    'Une activité de la demande {{reference}} a été reprogrammée : du {{startDate}} au {{endDate}}.',
  'activity_cancelled.subject': 'Activité annulée : {{reference}}',
  'activity_cancelled.body': 'Une activité de la demande {{reference}} a été annulée.',
  'evaluation_due.subject': "Questionnaire d'évaluation pour {{reference}}",
  'evaluation_due.body':
    "L'assistance au titre de la demande {{reference}} a été fournie. Veuillez remplir le questionnaire d'évaluation.",
  'reminder.subject': 'Rappel {{reminder}} : {{reference}} attend votre action',
  'reminder.body': 'La demande {{reference}} attend votre action. Ceci est le rappel {{reminder}}.',
  'overdue.subject': 'En retard : {{reference}}',
  'overdue.body': "La demande {{reference}} est en retard à l'étape {{stage}}.",
  'escalation.subject': 'Escalade : {{reference}}',
  'escalation.body':
    "La demande {{reference}} a fait l'objet d'une escalade : elle est très en retard à l'étape {{stage}}.",
  'request_closed.subject': 'Demande {{reference}} clôturée',
  'request_closed.body': 'La demande {{reference}} a été clôturée (résultat : {{outcome}}).',
  'assigned_to_you.subject': 'Vous est attribuée : {{reference}}',
  'assigned_to_you.body':
    'La demande {{reference}} vous a été attribuée. Vous en êtes désormais responsable pour votre organisation.',
  open: 'Ouvrir la demande',
  digest: 'Résumé quotidien CTAP : {{count}} notification(s)',
  footer: 'Vous recevez ce message de CTAP en raison de votre rôle. Vous pouvez modifier vos notifications dans CTAP.',
  urgent: 'URGENT : {{subject}}',
};

const es: Texts = {
  'request_received.subject': 'Nueva solicitud de asistencia {{reference}}',
  'request_received.body':
    'Se ha recibido la solicitud de asistencia técnica {{reference}}, que espera el examen de la DECT.',
  'information_requested.subject': 'Información solicitada sobre {{reference}}',
  'information_requested.body':
    'La DECT ha formulado {{questions}} pregunta(s) sobre la solicitud {{reference}}. Respóndalas en CTAP.',
  'information_provided.subject': 'Información facilitada sobre {{reference}}',
  'information_provided.body':
    'El Estado ha respondido a las preguntas sobre la solicitud {{reference}}. El examen puede continuar.',
  'plan_proposed.subject': 'Plan de trabajo propuesto para {{reference}}',
  'plan_proposed.body':
    'La UNODC ha propuesto un plan de trabajo ({{activities}} actividades) para la solicitud {{reference}}. Acéptelo o pida una revisión.',
  'plan_responded.subject': 'El Estado respondió al plan de trabajo de {{reference}}',
  'plan_responded.body':
    'El Estado ha respondido a la versión {{planVersion}} del plan de trabajo de la solicitud {{reference}}: {{response}}.',
  'plan_approved.subject': 'Plan de trabajo aprobado para {{reference}}',
  'plan_approved.body': 'Se ha aprobado el plan de trabajo de la solicitud {{reference}}.',
  'activity_rescheduled.subject': 'Actividad reprogramada: {{reference}}',
  'activity_rescheduled.body':
    'Se ha reprogramado una actividad de la solicitud {{reference}}: del {{startDate}} al {{endDate}}.',
  'activity_cancelled.subject': 'Actividad cancelada: {{reference}}',
  'activity_cancelled.body': 'Se ha cancelado una actividad de la solicitud {{reference}}.',
  'evaluation_due.subject': 'Cuestionario de evaluación de {{reference}}',
  'evaluation_due.body':
    'Se ha prestado la asistencia de la solicitud {{reference}}. Complete el cuestionario de evaluación.',
  'reminder.subject': 'Recordatorio {{reminder}}: {{reference}} espera su intervención',
  'reminder.body': 'La solicitud {{reference}} espera su intervención. Este es el recordatorio {{reminder}}.',
  'overdue.subject': 'Plazo vencido: {{reference}}',
  'overdue.body': 'La solicitud {{reference}} está atrasada en la etapa {{stage}}.',
  'escalation.subject': 'Escalamiento: {{reference}}',
  'escalation.body': 'La solicitud {{reference}} se ha escalado: está muy atrasada en la etapa {{stage}}.',
  'request_closed.subject': 'Solicitud {{reference}} cerrada',
  'request_closed.body': 'Se ha cerrado la solicitud {{reference}} (resultado: {{outcome}}).',
  'assigned_to_you.subject': 'Asignada a usted: {{reference}}',
  'assigned_to_you.body':
    'Se le ha asignado la solicitud {{reference}}. Ahora es usted quien la tramita por su organización.',
  open: 'Abrir la solicitud',
  digest: 'Resumen diario de CTAP: {{count}} notificación(es)',
  footer: 'Recibe este mensaje de CTAP por su función. Puede cambiar sus notificaciones en CTAP.',
  urgent: 'URGENTE: {{subject}}',
};

const ru: Texts = {
  'request_received.subject': 'Новый запрос о помощи {{reference}}',
  'request_received.body': 'Получен запрос о технической помощи {{reference}}; он ожидает рассмотрения ИДКТК.',
  'information_requested.subject': 'Запрошена информация по {{reference}}',
  'information_requested.body':
    'ИДКТК задал(о) вопросов: {{questions}} по запросу {{reference}}. Пожалуйста, ответьте в CTAP.',
  'information_provided.subject': 'Предоставлена информация по {{reference}}',
  'information_provided.body':
    'Государство ответило на вопросы по запросу {{reference}}. Рассмотрение может быть продолжено.',
  'plan_proposed.subject': 'Предложен план работы по {{reference}}',
  'plan_proposed.body':
    'ЮНОДК предложило план работы (мероприятий: {{activities}}) по запросу {{reference}}. Пожалуйста, согласуйте его или запросите пересмотр.',
  'plan_responded.subject': 'Государство ответило на план работы по {{reference}}',
  'plan_responded.body':
    'Государство ответило на версию {{planVersion}} плана работы по запросу {{reference}}: {{response}}.',
  'plan_approved.subject': 'План работы по {{reference}} утверждён',
  'plan_approved.body': 'План работы по запросу {{reference}} утверждён.',
  'activity_rescheduled.subject': 'Мероприятие перенесено: {{reference}}',
  'activity_rescheduled.body': 'Мероприятие по запросу {{reference}} перенесено: с {{startDate}} по {{endDate}}.',
  'activity_cancelled.subject': 'Мероприятие отменено: {{reference}}',
  'activity_cancelled.body': 'Мероприятие по запросу {{reference}} отменено.',
  'evaluation_due.subject': 'Оценочная анкета по {{reference}}',
  'evaluation_due.body': 'Помощь по запросу {{reference}} оказана. Пожалуйста, заполните оценочную анкету.',
  'reminder.subject': 'Напоминание {{reminder}}: {{reference}} ожидает ваших действий',
  'reminder.body': 'Запрос {{reference}} ожидает ваших действий. Это напоминание № {{reminder}}.',
  'overdue.subject': 'Просрочено: {{reference}}',
  'overdue.body': 'Запрос {{reference}} просрочен на этапе {{stage}}.',
  'escalation.subject': 'Эскалация: {{reference}}',
  'escalation.body': 'Запрос {{reference}} передан на эскалацию: он давно просрочен на этапе {{stage}}.',
  'request_closed.subject': 'Запрос {{reference}} закрыт',
  'request_closed.body': 'Запрос {{reference}} закрыт (результат: {{outcome}}).',
  'assigned_to_you.subject': 'Назначено вам: {{reference}}',
  'assigned_to_you.body': 'Запрос {{reference}} назначен вам. Теперь вы ведёте его от имени своей организации.',
  open: 'Открыть запрос',
  digest: 'Ежедневная сводка CTAP: уведомлений: {{count}}',
  footer: 'Вы получили это сообщение CTAP в связи с вашей ролью. Настройки уведомлений можно изменить в CTAP.',
  urgent: 'СРОЧНО: {{subject}}',
};

const zh: Texts = {
  'request_received.subject': '新的援助请求 {{reference}}',
  'request_received.body': '已收到技术援助请求 {{reference}}，等待反恐执行局审查。',
  'information_requested.subject': '关于 {{reference}} 的信息请求',
  'information_requested.body': '反恐执行局就请求 {{reference}} 提出了 {{questions}} 个问题。请在 CTAP 中作答。',
  'information_provided.subject': '已就 {{reference}} 提供信息',
  'information_provided.body': '该国已回答关于请求 {{reference}} 的问题。审查可以继续。',
  'plan_proposed.subject': '已为 {{reference}} 提出工作计划',
  'plan_proposed.body':
    '毒品和犯罪问题办公室已为请求 {{reference}} 提出工作计划（{{activities}} 项活动）。请同意或要求修订。',
  'plan_responded.subject': '该国已答复 {{reference}} 的工作计划',
  'plan_responded.body': '该国已答复请求 {{reference}} 的工作计划第 {{planVersion}} 版：{{response}}。',
  'plan_approved.subject': '{{reference}} 的工作计划已批准',
  'plan_approved.body': '请求 {{reference}} 的工作计划已获批准。',
  'activity_rescheduled.subject': '活动已改期：{{reference}}',
  'activity_rescheduled.body': '请求 {{reference}} 的一项活动已改期：{{startDate}} 至 {{endDate}}。',
  'activity_cancelled.subject': '活动已取消：{{reference}}',
  'activity_cancelled.body': '请求 {{reference}} 的一项活动已取消。',
  'evaluation_due.subject': '{{reference}} 的评价问卷',
  'evaluation_due.body': '请求 {{reference}} 下的援助已提供。请填写评价问卷。',
  'reminder.subject': '提醒 {{reminder}}：{{reference}} 等待您的处理',
  'reminder.body': '请求 {{reference}} 正在等待您的处理。这是第 {{reminder}} 次提醒。',
  'overdue.subject': '已逾期：{{reference}}',
  'overdue.body': '请求 {{reference}} 在 {{stage}} 阶段已逾期。',
  'escalation.subject': '升级处理：{{reference}}',
  'escalation.body': '请求 {{reference}} 已升级处理：在 {{stage}} 阶段严重逾期。',
  'request_closed.subject': '请求 {{reference}} 已结案',
  'request_closed.body': '请求 {{reference}} 已结案（结果：{{outcome}}）。',
  'assigned_to_you.subject': '已分配给您：{{reference}}',
  'assigned_to_you.body': '请求 {{reference}} 已分配给您，现由您代表本机构负责处理。',
  open: '打开请求',
  digest: 'CTAP 每日摘要：{{count}} 条通知',
  footer: '您因所担任的角色收到 CTAP 的这封邮件。您可以在 CTAP 中更改通知方式。',
  urgent: '【紧急】{{subject}}',
};

const ar: Texts = {
  'request_received.subject': 'طلب مساعدة جديد {{reference}}',
  'request_received.body':
    'ورد طلب المساعدة التقنية {{reference}} وهو بانتظار استعراض المديرية التنفيذية للجنة مكافحة الإرهاب.',
  'information_requested.subject': 'طلب معلومات بشأن {{reference}}',
  'information_requested.body':
    'طرحت المديرية التنفيذية {{questions}} سؤالاً بشأن الطلب {{reference}}. يرجى الإجابة عنها في CTAP.',
  'information_provided.subject': 'قُدّمت المعلومات بشأن {{reference}}',
  'information_provided.body': 'أجابت الدولة عن الأسئلة المتعلقة بالطلب {{reference}}. يمكن استئناف الاستعراض.',
  'plan_proposed.subject': 'اقتُرحت خطة عمل للطلب {{reference}}',
  'plan_proposed.body':
    'اقترح مكتب الأمم المتحدة المعني بالمخدرات والجريمة خطة عمل ({{activities}} أنشطة) للطلب {{reference}}. يرجى الموافقة عليها أو طلب تنقيحها.',
  'plan_responded.subject': 'ردّت الدولة على خطة عمل الطلب {{reference}}',
  'plan_responded.body': 'ردّت الدولة على الصيغة {{planVersion}} من خطة عمل الطلب {{reference}}: {{response}}.',
  'plan_approved.subject': 'اعتُمدت خطة عمل الطلب {{reference}}',
  'plan_approved.body': 'اعتُمدت خطة عمل الطلب {{reference}}.',
  'activity_rescheduled.subject': 'أُعيدت جدولة نشاط: {{reference}}',
  'activity_rescheduled.body': 'أُعيدت جدولة نشاط من أنشطة الطلب {{reference}}: من {{startDate}} إلى {{endDate}}.',
  'activity_cancelled.subject': 'أُلغي نشاط: {{reference}}',
  'activity_cancelled.body': 'أُلغي نشاط من أنشطة الطلب {{reference}}.',
  'evaluation_due.subject': 'استبيان التقييم للطلب {{reference}}',
  'evaluation_due.body': 'قُدّمت المساعدة بموجب الطلب {{reference}}. يرجى ملء استبيان التقييم.',
  'reminder.subject': 'تذكير {{reminder}}: الطلب {{reference}} بانتظار إجرائكم',
  'reminder.body': 'الطلب {{reference}} بانتظار إجرائكم. هذا هو التذكير رقم {{reminder}}.',
  'overdue.subject': 'متأخر: {{reference}}',
  'overdue.body': 'تجاوز الطلب {{reference}} موعده في المرحلة {{stage}}.',
  'escalation.subject': 'تصعيد: {{reference}}',
  'escalation.body': 'صُعّد الطلب {{reference}}: فقد تجاوز موعده بكثير في المرحلة {{stage}}.',
  'request_closed.subject': 'أُغلق الطلب {{reference}}',
  'request_closed.body': 'أُغلق الطلب {{reference}} (النتيجة: {{outcome}}).',
  'assigned_to_you.subject': 'أُسند إليك: {{reference}}',
  'assigned_to_you.body': 'أُسند إليك الطلب {{reference}}. أنت الآن المسؤول عنه باسم مؤسستك.',
  open: 'فتح الطلب',
  digest: 'موجز CTAP اليومي: {{count}} إشعارات',
  footer: 'تتلقون هذه الرسالة من CTAP بحكم دوركم. يمكنكم تغيير طريقة إشعاركم في CTAP.',
  urgent: 'عاجل: {{subject}}',
};

export const MAIL_LANGUAGES = UN_LANGUAGES;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

export const MAIL_RESOURCES: Record<MailLanguage, { translation: Texts }> = {
  ar: { translation: ar },
  zh: { translation: zh },
  en: { translation: en },
  fr: { translation: fr },
  ru: { translation: ru },
  es: { translation: es },
};
